package io.workjs.server.cluster;

/**
 * A member as its group's members hash keeps it ({@link Scripts#APPLY}), {@code NODE \n SESSION
 * \n JOINED}, and, as the scripts that let it go or move it answer, {@code \n STATE} after
 * that. NODE is {@code NAME@RUN}, SESSION is empty for a member without one, JOINED is the
 * stream id of the member's first entry; STATE is null when not given.
 */
record MemberRecord(String node, String session, String joined, String state) {

    static MemberRecord parse(String value) {
        String[] parts = value.split("\n", 4);
        return new MemberRecord(parts[0], parts.length > 1 && !parts[1].isEmpty() ? parts[1] : null,
                parts.length > 2 ? parts[2] : null, parts.length > 3 ? parts[3] : null);
    }
}
