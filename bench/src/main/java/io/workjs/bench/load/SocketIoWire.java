package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * socket.io 4 over its WebSocket-only transport: Engine.IO v4 packets carrying socket.io
 * packets. The server opens with {@code 0{...}}; the client joins the default namespace with
 * {@code 40} and may call once the server confirms with {@code 40{...}}. Events are
 * {@code 42["name",param]}, an event wanting an ack is {@code 42ID[...]} and its ack
 * {@code 43ID[result]}. The server pings with {@code 2}; the client must answer {@code 3}.
 */
public record SocketIoWire() implements Wire {

    @Override public String path(String group) {
        return "/socket.io/?EIO=4&transport=websocket&g=" + group;
    }

    @Override public boolean waitsForReady() {
        return true;
    }

    @Override public String hello() {
        return "40";
    }

    @Override public String call(String name, String json, long seq) {
        return "42" + seq + "[\"" + name + "\"," + json + "]";
    }

    @Override public String send(String name, String json) {
        return "42[\"" + name + "\"," + json + "]";
    }

    @Override public String pong() {
        return "3";
    }

    @Override public Kind kind(ByteBuf frame) {
        int r = frame.readerIndex();
        byte first = frame.getByte(r);
        if (first == '2' && frame.readableBytes() == 1) {
            return Kind.PING;
        }
        if (first != '4' || frame.readableBytes() < 2) {
            return Kind.OTHER;
        }
        return switch (frame.getByte(r + 1)) {
            case '3' -> Kind.REPLY;
            case '2' -> Kind.EVENT;
            case '0' -> Kind.READY;
            default -> Kind.OTHER;
        };
    }

    @Override public long replySeq(ByteBuf frame) {
        long value = 0;
        for (int i = frame.readerIndex() + 2; i < frame.writerIndex(); i++) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
