package io.workjs.runtime;

import io.workjs.runtime.internal.LocalGroupBus;
import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Who is in which group, and the delivery of a group's events. A group id is the controller's
 * file and the key its init() returned, joined by NUL ({@code chat.ws\0lobby}), so that the same
 * key on two controllers names two groups. The runtime calls it on the JS loop thread only.
 * {@link #inProcess()} is today's implementation; a cluster one goes behind the same interface.
 */
public interface GroupBus {

    /** A connection in a group, as the bus sees it. */
    interface Member {
        /** The connection's id ({@code this.id}). */
        String id();

        /** Where the group's events go; the peer decides whether and how to deliver them. */
        Peer peer();
    }

    /** A fresh bus for one process, one JS loop. */
    static GroupBus inProcess() {
        return new LocalGroupBus();
    }

    /** Adds the member to the group (which exists while it has members). */
    void join(String group, Member member);

    /** Removes the member from the group; a member that is not in it is ignored. */
    void leave(String group, Member member);

    /** Hands the same bytes to the peer of every member of the group, in the order they joined. */
    void publish(String group, ByteBuffer utf8);

    /** The group's members in the order they joined; empty for a group nobody is in. */
    Collection<? extends Member> members(String group);

    /** The member with this id, or null when it is not in the group. */
    Member member(String group, String id);
}
