package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * One wire format the load generator speaks: how to reach the bench handler, how to frame a
 * call, and how to read what comes back. Frames are read straight from Netty's buffer by
 * scanning bytes, never parsed into objects, so the client's own cost stays small and equal
 * for every server.
 */
public sealed interface Wire permits WorkWire, ResumeWire, SocketIoWire {

    /** What an inbound text frame is; {@code CONTROL} frames of resumable connections are not counted as messages. */
    enum Kind { REPLY, EVENT, READY, PING, CONTROL, OTHER }

    /** The WebSocket subprotocol to offer, or null. */
    default String subprotocol() {
        return null;
    }

    /** The frame that acknowledges {@code received} messages (resumable connections), or null when the wire has none. */
    default String ack(long received) {
        return null;
    }

    /** Request path and query of the WebSocket upgrade for a member of {@code group}. */
    String path(String group);

    /** True when the connection is usable only after a server frame ({@link Kind#READY}). */
    boolean waitsForReady();

    /** The frame a client sends right after the upgrade, or null. */
    String hello();

    /** A call of {@code name} with a JSON parameter that wants a reply carrying {@code seq}. */
    String call(String name, String json, long seq);

    /** A call of {@code name} with a JSON parameter and no reply. */
    String send(String name, String json);

    /** The answer to a {@link Kind#PING} frame, or null. */
    String pong();

    Kind kind(ByteBuf frame);

    /** The sequence number of a {@link Kind#REPLY} frame. */
    long replySeq(ByteBuf frame);

    /**
     * The text of a {@link Kind#REPLY} frame that says the call failed, or null when it
     * succeeded (or this wire cannot tell them apart).
     */
    default String replyError(ByteBuf frame) {
        return null;
    }

    /** The digits after {@code "key":} in {@code frame}, or -1; for event ids and timestamps. */
    static long numberAfter(ByteBuf frame, byte[] key) {
        int at = indexOf(frame, key, frame.readerIndex());
        if (at < 0) {
            return -1;
        }
        long value = 0;
        for (int i = at + key.length; i < frame.writerIndex(); i++) {
            byte b = frame.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static int indexOf(ByteBuf frame, byte[] key, int from) {
        int last = frame.writerIndex() - key.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < key.length; j++) {
                if (frame.getByte(i + j) != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
