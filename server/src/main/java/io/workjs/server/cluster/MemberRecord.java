package io.workjs.server.cluster;

/**
 * A member as its group's members hash keeps it ({@link Scripts#APPLY}): {@code NODE \n SESSION
 * \n STATE}, where NODE is {@code NAME@RUN} and SESSION is empty for a member without one.
 */
record MemberRecord(String node, String session, String state) {

    static MemberRecord parse(String value) {
        int a = value.indexOf('\n');
        if (a < 0) return new MemberRecord(value, null, "{}");
        int b = value.indexOf('\n', a + 1);
        if (b < 0) return new MemberRecord(value.substring(0, a), null, value.substring(a + 1));
        String session = value.substring(a + 1, b);
        return new MemberRecord(value.substring(0, a), session.isEmpty() ? null : session, value.substring(b + 1));
    }
}
