package io.workjs.server.cluster;

/**
 * A member as its group's members hash keeps it ({@link Scripts#APPLY}): {@code NODE \n SESSION
 * \n JOINED \n STATE}, where NODE is {@code NAME@RUN}, SESSION is empty for a member without
 * one, and JOINED is the stream id of the member's first entry.
 */
record MemberRecord(String node, String session, String joined, String state) {

    static MemberRecord parse(String value) {
        String[] parts = value.split("\n", 4);
        if (parts.length < 4) return new MemberRecord(parts[0], null, null, parts.length > 1 ? parts[parts.length - 1] : "{}");
        return new MemberRecord(parts[0], parts[1].isEmpty() ? null : parts[1], parts[2], parts[3]);
    }
}
