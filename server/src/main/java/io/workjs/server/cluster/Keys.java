package io.workjs.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The cluster's names in Redis, all under one prefix. A group's keys share the hash tag of its
 * id, base64url-encoded (a group id may hold any character, braces included), so that its
 * stream, members, publishers and channel live on one shard of a Redis Cluster too.
 */
final class Keys {
    static final String PREFIX = "workjs:";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Keys() {
    }

    /** The hash-tagged part shared by every key of a group: {@code workjs:{TAG}}. */
    static String group(String groupId) {
        return PREFIX + "{" + B64.encodeToString(groupId.getBytes(StandardCharsets.UTF_8)) + "}";
    }

    /** The group's event stream: every event and membership change, in the group's one order. */
    static String stream(String group) {
        return group + ":s";
    }

    /** The group's members: id → node, session and first entry ({@link MemberRecord}). */
    static String members(String group) {
        return group + ":m";
    }

    /** The group's members' states: id → the last state (JSON). */
    static String states(String group) {
        return group + ":v";
    }

    /** The group's publishers: run → the last operation number applied, so that a retried operation applies once. */
    static String publishers(String group) {
        return group + ":p";
    }

    /** The group's sharded channel. */
    static String channel(String group) {
        return group + ":c";
    }

    /** Nodes that are up: name → run and address. */
    static String nodes() {
        return PREFIX + "nodes";
    }

    /** Every run of a node that has not said goodbye: NAME@RUN → address; a dead one's members are let go ({@link Reaper}). */
    static String runs() {
        return PREFIX + "runs";
    }

    /** The claim of the node that lets a dead run's members go. */
    static String reap(String nodeRun) {
        return PREFIX + "reap:" + nodeRun;
    }

    /** A node's sign of life, expiring unless renewed. */
    static String alive(String node) {
        return PREFIX + "alive:" + node;
    }

    /** The groups a node's run has (had) members in: NAME@RUN. */
    static String nodeGroups(String node) {
        return PREFIX + "node-groups:" + node;
    }

    /** What a resume token names: {@code NAME@RUN \n CONNECTION-ID}, under the token's hash. */
    static String token(String tokenHash) {
        return PREFIX + "token:" + tokenHash;
    }

    /** The hashes of a node run's tokens, so that a dead run's are forgotten with it. */
    static String nodeTokens(String node) {
        return PREFIX + "node-tokens:" + node;
    }

    /** A node run's own channel: other nodes ask it to hand a connection over, and it answers theirs. */
    static String nodeChannel(String node) {
        return PREFIX + "node:" + node;
    }

    /** Members per group key of one controller, on every node ({@code require('workjs').groups}). */
    static String sizes(String controller) {
        return PREFIX + "sizes:" + controller;
    }

    /** Where each change of {@link #sizes} is announced: {@code CONTROLLER \n KEY \n COUNT}. */
    static String sizesChannel() {
        return PREFIX + "sizes";
    }

    /** The signing secret the nodes share when CONF has no sessionSecrets. */
    static String secret() {
        return PREFIX + "secret";
    }

    /** A session's data and last use. */
    static String session(String id) {
        return PREFIX + "sess:" + id;
    }

    /** A one-time ticket for a regenerated session's new cookie. */
    static String ticket(String ticket) {
        return PREFIX + "ticket:" + ticket;
    }

    /** Where every session write is announced, for nodes that hold the session open. */
    static String sessionChannel() {
        return PREFIX + "sessions";
    }
}
