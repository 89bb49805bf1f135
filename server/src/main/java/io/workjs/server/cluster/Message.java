package io.workjs.server.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One entry of a group's stream, as its channel carries it and as XRANGE gives it back:
 * {@code ID \n TYPE \n RUN:N \n NODE \n FIELD \n REST}. The stream ID orders it within the
 * group; RUN:N names the operation of the node run that made it (so that a retried operation
 * applies once); the last part is taken as it is, so an event's bytes are never copied.
 *
 * <ul>
 *   <li>{@code e}: an event; FIELD is empty, REST the frame's bytes;</li>
 *   <li>{@code m}: members of NODE joined or reported their states; FIELD is empty, REST has a
 *       pair of lines per member, its id and its state (one line of JSON), on the channel only:
 *       in the stream REST is empty (the members hash has the states);</li>
 *   <li>{@code l}: a member left; FIELD its id;</li>
 *   <li>{@code g}: RUN's node dropped FIELD events of this group while Redis was down.</li>
 * </ul>
 */
final class Message {
    static final char EVENT = 'e';
    static final char MEMBER = 'm';
    static final char LEFT = 'l';
    static final char GAP = 'g';

    private final StreamId id;
    private final char type;
    private final String run;
    private final String node;
    private final String field;
    private final byte[] bytes;
    private final int restOffset;
    /** The frame with its position, made on first use (on the loop only). */
    private ByteBuffer positioned;

    private Message(StreamId id, char type, String run, String node, String field, byte[] bytes, int restOffset) {
        this.id = id;
        this.type = type;
        this.run = run;
        this.node = node;
        this.field = field;
        this.bytes = bytes;
        this.restOffset = restOffset;
    }

    StreamId id() {
        return id;
    }

    char type() {
        return type;
    }

    /** The run of the node that made the operation. */
    String run() {
        return run;
    }

    /** NAME@RUN of the node that made it. */
    String node() {
        return node;
    }

    String field() {
        return field;
    }

    /** Parses {@code ID\n} + body; null when the bytes are not a message (never from our own scripts). */
    static Message parse(byte[] bytes) {
        int[] at = new int[5];
        int from = 0;
        for (int i = 0; i < 5; i++) {
            int nl = indexOf(bytes, from);
            if (nl < 0) return null;
            at[i] = nl;
            from = nl + 1;
        }
        StreamId id = StreamId.parse(text(bytes, 0, at[0]));
        if (id == null || at[1] != at[0] + 2) return null;
        char type = (char) bytes[at[0] + 1];
        String origin = text(bytes, at[1] + 1, at[2]);
        int colon = origin.lastIndexOf(':');
        String run = colon < 0 ? origin : origin.substring(0, colon);
        return new Message(id, type, run, text(bytes, at[2] + 1, at[3]), text(bytes, at[3] + 1, at[4]), bytes, at[4] + 1);
    }

    /** An entry of XRANGE: its id and its one field's value, the body. */
    static Message parse(String id, byte[] body) {
        byte[] idBytes = (id + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[idBytes.length + body.length];
        System.arraycopy(idBytes, 0, all, 0, idBytes.length);
        System.arraycopy(body, 0, all, idBytes.length, body.length);
        return parse(all);
    }

    /** A member and its state, as a {@link #MEMBER} entry lists them. */
    record Stated(String member, String state) {
    }

    /** The members and states of a {@link #MEMBER} entry, in the order the entry lists them. */
    java.util.List<Stated> states() {
        String[] lines = new String(bytes, restOffset, bytes.length - restOffset, StandardCharsets.UTF_8).split("\n", -1);
        java.util.List<Stated> states = new java.util.ArrayList<>(lines.length / 2);
        for (int i = 0; i + 1 < lines.length; i += 2) states.add(new Stated(lines[i], lines[i + 1]));
        return states;
    }

    /** The last part as read-only bytes over the message's own array (an event's frame). */
    ByteBuffer restBytes() {
        return ByteBuffer.wrap(bytes, restOffset, bytes.length - restOffset).slice().asReadOnlyBuffer();
    }

    /**
     * An event's frame with its position as a third element, {@code ["name",param,"ID"]}, made
     * once per message and shared by every member that wants positions.
     */
    ByteBuffer positioned() {
        ByteBuffer p = positioned;
        if (p == null) {
            byte[] id = (",\"" + this.id + "\"]").getBytes(StandardCharsets.US_ASCII);
            int frameEnd = bytes.length - 1;   // the frame's closing bracket
            byte[] out = new byte[frameEnd - restOffset + id.length];
            System.arraycopy(bytes, restOffset, out, 0, frameEnd - restOffset);
            System.arraycopy(id, 0, out, frameEnd - restOffset, id.length);
            p = ByteBuffer.wrap(out).asReadOnlyBuffer();
            positioned = p;
        }
        return p.duplicate();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == '\n') return i;
        return -1;
    }

    private static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
