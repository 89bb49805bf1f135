package io.workjs.server.cluster;

import java.util.List;

/**
 * One operation on a group, as a node's outbox keeps it until Redis has applied it: numbered
 * within the node's run, so that Redis applies a resent one once (see {@link Scripts#APPLY}).
 *
 * @param groupId the group's id (controller file, NUL, key)
 * @param run    the node's run: a node that restarts numbers afresh under a new run
 * @param number this run's operation number, from 1
 * @param type   {@link Message#EVENT}, {@link Message#MEMBER}, {@link Message#LEFT} or {@link Message#GAP}
 * @param field  the member id, or the number of events lost; empty for the others
 * @param rest   the event's bytes; empty for the others
 * @param states the members' states ({@link Message#MEMBER} only: one or more; empty otherwise)
 */
record Op(String groupId, String run, long number, char type, String field, byte[] rest, List<State> states) {

    /**
     * A member of this node and its state, one line of JSON.
     *
     * @param session the member's session id, or null for none
     * @param first   true when this node had not stated the member yet: its record is made if Redis has none
     * @param renewed true when the member's session id changed since it was last stated ({@code this.sess.regenerate()}):
     *                its record takes the new one
     */
    record State(String member, String session, String json, boolean first, boolean renewed) {
    }
}
