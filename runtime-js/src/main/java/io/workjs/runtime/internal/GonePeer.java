package io.workjs.runtime.internal;

import io.workjs.runtime.Peer;
import java.nio.ByteBuffer;

/** The socket of a member whose node is gone: closed, and whatever is sent to it goes nowhere. */
final class GonePeer implements Peer {
    private final String id;

    GonePeer(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String text) {
    }

    @Override
    public void send(ByteBuffer utf8) {
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public int readyState() {
        return CLOSED;
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }
}
