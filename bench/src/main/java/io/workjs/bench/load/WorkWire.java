package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;

/** The WorkJS wire format (docs/PROTOCOL.md), spoken by workjs, raw and node-ws. */
public record WorkWire() implements Wire {

    private static final int REPLY_PREFIX = "[\"_rpc\",".length();

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

    /** A reply ends with {@code ,SEQ]}: read the digits backwards from the end. */
    @Override public long replySeq(ByteBuf frame) {
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
