package io.workjs.server.cluster;

/**
 * One operation on a group, as a node's outbox keeps it until Redis has applied it: numbered
 * within the node's run, so that Redis applies a resent one once (see {@link Scripts#APPLY}).
 *
 * @param groupId the group's id (controller file, NUL, key)
 * @param run    the node's run: a node that restarts numbers afresh under a new run
 * @param number this run's operation number, from 1
 * @param type   {@link Message#EVENT}, {@link Message#MEMBER}, {@link Message#LEFT} or {@link Message#GAP}
 * @param field  the member id, the event's flag or the number of events lost
 * @param rest   the event's bytes or the member's state
 * @param session the member's session id ({@link Message#MEMBER} only; null for none)
 */
record Op(String groupId, String run, long number, char type, String field, byte[] rest, String session) {
}
