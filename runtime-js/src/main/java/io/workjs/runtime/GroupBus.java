package io.workjs.runtime;

import io.workjs.runtime.internal.LocalGroupBus;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.Executor;

/**
 * Who is in which group, and the delivery of a group's events. A group id is the controller's
 * file and the key its init() returned, joined by NUL ({@code chat.ws\0lobby}), so that the same
 * key on two controllers names two groups. The runtime calls it on the JS loop thread only, and
 * a bus that hears from elsewhere (another node) hands that work to the loop it was started
 * with, so that members and snapshots change only on the loop.
 *
 * <p>{@link #inProcess()} is one process's bus; the server's cluster bus shares groups between
 * nodes behind the same interface. On a cluster a group also has members on other nodes: they
 * are listed by {@link #ids} and seen as {@link #snapshot}s of the state their node last
 * reported through {@link #state}.
 */
public interface GroupBus {

    /** A connection of this node in a group, as the bus sees it. */
    interface Member {
        /** The connection's id ({@code this.id}). */
        String id();

        /** Where the group's events go; the peer decides whether and how to deliver them. */
        Peer peer();

        /** The member's session id, or null: a cluster keeps it so that exit() elsewhere gets the member's {@code this.sess}. */
        default String session() {
            return null;
        }
    }

    /** A fresh bus for one process, one JS loop. */
    static GroupBus inProcess() {
        return new LocalGroupBus();
    }

    /**
     * Called once by the runtime before anything else: {@code loop} runs a task on the JS loop
     * thread, from any thread. A bus that receives from elsewhere does its member changes and
     * deliveries there.
     */
    default void start(Executor loop) {
    }

    /** Adds the member to the group (which exists while it has members). */
    void join(String group, Member member);

    /**
     * True when this node knows the group's members now (as one process always does); else
     * false, and {@code whenReady} runs on the loop once it does (a cluster's bus reading a
     * group's members from Redis the first time one of its members joins here). The runtime
     * lets a new member's calls run only then, so that its first look at {@code this.group}
     * sees everyone.
     */
    default boolean ready(String group, Runnable whenReady) {
        return true;
    }

    /** Removes the member from the group; a member that is not in it is ignored. */
    void leave(String group, Member member);

    /**
     * A member that moved here from another node joins again, and first gets the group's events
     * after {@code after} (the position of the last one its client has, or null), then the new
     * ones, each once. One process has nothing to replay.
     */
    default void rejoin(String group, Member member, String after) {
        join(group, member);
    }

    /**
     * The member moves to another node: it is no longer this node's, but it has not left the
     * group (no leave is announced; the node it moves to takes it over).
     */
    default void handOver(String group, Member member) {
        leave(group, member);
    }

    /**
     * Sends an event to every member of the group: the same bytes to each, encoded once. On one
     * node it is delivered at once, in the order members joined; on a cluster every member on
     * every node gets the group's events in one and the same order, its own node's included.
     */
    void publish(String group, ByteBuffer utf8);

    /** The ids of the group's members, this node's and other nodes', in the order they joined. */
    Collection<String> ids(String group);

    /** This node's member with this id, or null when it is not in the group here. */
    Member member(String group, String id);

    /**
     * Another node's member with this id, as its node last reported it (a JSON object, see
     * {@link #state}), or null when the group has no such member elsewhere.
     */
    default String snapshot(String group, String id) {
        return null;
    }

    /**
     * How many members each group of one controller has, on every node: group key → count, for
     * the groups that have members. Read on the loop, from what this node knows now (a cluster's
     * bus keeps it up to date through Redis).
     */
    default java.util.Map<String, Integer> sizes(String controller) {
        return java.util.Map.of();
    }

    /**
     * Calls {@code changed(controller)} on the loop whenever a group of that controller gains
     * or loses a member, on any node. The runtime calls it once, at start.
     */
    default void watchSizes(java.util.function.Consumer<String> changed) {
    }

    /** True when members' state is shared with other nodes: only then does the runtime report it. */
    default boolean sharesState() {
        return false;
    }

    /**
     * The member's state after its completed calls (a JSON object, on one line, of the fields its
     * controller stored on {@code this}), reported only when it changed; other nodes see it as
     * the member's {@link #snapshot}. It goes out at the next {@link #flush}, with the others
     * reported meanwhile; a member handed over ({@link #handOver}) goes out with its last.
     */
    default void state(String group, Member member, String json) {
    }

    /** Sends the states reported since the last flush: the runtime calls it after each batch of them. */
    default void flush() {
    }
}
