package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * The WorkJS wire format on a resumable connection (docs/PROTOCOL.md, Resumable connections):
 * the subprotocol, {@code _hello} first, the connection ready at {@code _welcome}, and
 * acknowledgements, as the shipped client sends them. Messages are framed as {@link WorkWire}'s.
 */
public record ResumeWire() implements Wire {
    public static final String PROTOCOL = "workjs.resume.1";
    private static final WorkWire MESSAGES = new WorkWire();

    @Override public String subprotocol() {
        return PROTOCOL;
    }

    @Override public String path(String group) {
        return MESSAGES.path(group);
    }

    @Override public boolean waitsForReady() {
        return true;
    }

    @Override public String hello() {
        return hello(null, 0);
    }

    /** The hello of a client that resumes the connection of {@code token}, having received {@code received} messages. */
    public String hello(String token, long received) {
        return "[\"_hello\",{\"token\":" + (token == null ? "null" : "\"" + token + "\"") + ",\"received\":" + received + "}]";
    }

    @Override public String call(String name, String json, long seq) {
        return MESSAGES.call(name, json, seq);
    }

    @Override public String send(String name, String json) {
        return MESSAGES.send(name, json);
    }

    @Override public String pong() {
        return null;
    }

    @Override public String ack(long received) {
        return "[\"_ack\"," + received + "]";
    }

    @Override public Kind kind(ByteBuf frame) {
        int r = frame.readerIndex();
        if (frame.readableBytes() > 4 && frame.getByte(r + 2) == '_') {
            byte c = frame.getByte(r + 3);
            if (c == 'w') return Kind.READY;                                     // _welcome
            if (c == 'a' || c == 'p') return Kind.CONTROL;                       // _ack, _ping
            if (c == 'e' && frame.getByte(r + 4) == 'n') return Kind.CONTROL;   // _ended (not _error)
        }
        return MESSAGES.kind(frame);
    }

    @Override public long replySeq(ByteBuf frame) {
        return MESSAGES.replySeq(frame);
    }

    @Override public String replyError(ByteBuf frame) {
        return MESSAGES.replyError(frame);
    }

    /** The token of a {@code _welcome} frame. */
    static String token(ByteBuf frame) {
        String text = frame.toString(java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"token\":\"");
        if (at < 0) return null;
        int start = at + 9;
        return text.substring(start, text.indexOf('"', start));
    }

    /** Whether a {@code _welcome} frame says the connection was resumed. */
    static boolean resumed(ByteBuf frame) {
        return frame.toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"resumed\":true");
    }
}
