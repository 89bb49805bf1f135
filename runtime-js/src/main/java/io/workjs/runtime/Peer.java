package io.workjs.runtime;

import java.nio.ByteBuffer;

/**
 * One client connection as the runtime sees it. The transport implements it; the runtime only
 * calls it from the JS loop thread, and every method must return without waiting for the network.
 */
public interface Peer {

    /** Connection id, unique for the server's life; it is `this.id` in controllers. */
    String id();

    /** Queues one text frame. */
    void send(String text);

    /**
     * Queues one text frame whose UTF-8 bytes are already encoded. The same buffer is handed to
     * every member of a group, so implementations read a duplicate and never change it.
     */
    void send(ByteBuffer utf8);

    /** Starts the closing handshake with a WebSocket close code and a reason (at most 123 bytes). */
    void close(int code, String reason);

    /** WebSocket readyState: 0 connecting, 1 open, 2 closing, 3 closed. */
    int readyState();
}
