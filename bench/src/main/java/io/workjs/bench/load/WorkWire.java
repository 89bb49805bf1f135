package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;

/** The WorkJS wire format (docs/PROTOCOL.md), spoken by workjs, raw and node-ws. */
public record WorkWire() implements Wire {

    private static final int REPLY_PREFIX = "[\"_rpc\",".length();
    private static final int ERROR_PREFIX = "[\"_rpc\",null,".length();

    @Override public String path(String group) {
        return "/bench?g=" + group;
    }

    @Override public boolean waitsForReady() {
        return false;
    }

    @Override public String hello() {
        return null;
    }

    @Override public String call(String name, String json, long seq) {
        return "[\"" + name + "\"," + json + "," + seq + "]";
    }

    @Override public String send(String name, String json) {
        return "[\"" + name + "\"," + json + "]";
    }

    @Override public String pong() {
        return null;
    }

    @Override public Kind kind(ByteBuf frame) {
        int r = frame.readerIndex();
        // ["_rpc",...  versus  ["ev",...
        if (frame.readableBytes() > REPLY_PREFIX && frame.getByte(r + 2) == '_') {
            return frame.getByte(r + 3) == 'r' ? Kind.REPLY : Kind.OTHER;
        }
        return frame.getByte(r + 2) == 'e' ? Kind.EVENT : Kind.OTHER;
    }

    /** A failed call's reply, {@code ["_rpc",null,SEQ,{"code":C,"message":M}]}, ends with {@code }]}. */
    @Override public String replyError(ByteBuf frame) {
        return failed(frame) ? frame.toString(java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    private static boolean failed(ByteBuf frame) {
        return frame.readableBytes() > ERROR_PREFIX && frame.getByte(frame.writerIndex() - 2) == '}';
    }

    /**
     * A reply ends with {@code ,SEQ]}: read the digits backwards from the end; a failed call's
     * has its {@code SEQ} after {@code ["_rpc",null,}.
     */
    @Override public long replySeq(ByteBuf frame) {
        if (failed(frame)) {
            long value = 0;
            for (int i = frame.readerIndex() + ERROR_PREFIX; i < frame.writerIndex(); i++) {
                byte b = frame.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
            }
            return value;
        }
        int i = frame.writerIndex() - 2;
        long value = 0;
        long scale = 1;
        while (i >= frame.readerIndex()) {
            byte b = frame.getByte(i--);
            if (b < '0' || b > '9') {
                break;
            }
            value += (b - '0') * scale;
            scale *= 10;
        }
        return value;
    }
}
