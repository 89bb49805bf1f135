package io.workjs.server.cluster;

/** A Redis stream entry id, {@code MS-SEQ}: the group's one order. */
record StreamId(long ms, long seq) implements Comparable<StreamId> {
    /** Before every entry: a group whose stream is empty. */
    static final StreamId ZERO = new StreamId(0, 0);

    /** Parses {@code MS-SEQ}; null when the text is not one. */
    static StreamId parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0) return null;
        try {
            return new StreamId(Long.parseLong(text, 0, dash, 10), Long.parseLong(text, dash + 1, text.length(), 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    boolean after(StreamId o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return ms + "-" + seq;
    }
}
