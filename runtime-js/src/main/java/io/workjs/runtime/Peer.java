package io.workjs.runtime;

import java.nio.ByteBuffer;

/**
 * One client connection as the runtime sees it. The transport implements it. The runtime calls
 * {@link #pauseReading()} from the transport's own thread, inside {@link Inbound#message}, and
 * everything else from the JS loop thread; no method may wait for the network.
 */
public interface Peer {
    /** {@link #readyState()} values, as the browser's WebSocket has them. */
    int CONNECTING = 0;
    int OPEN = 1;
    int CLOSING = 2;
    int CLOSED = 3;

    /** Connection id, unique across servers and restarts; it is `this.id` in controllers. */
    String id();

    /** Queues one text frame; a peer that has sent its close frame, or is closed, drops it. */
    void send(String text);

    /**
     * Queues one text frame whose UTF-8 bytes are already encoded. The same buffer is handed to
     * every member of a group, so implementations read a duplicate and never change it. The peer
     * decides whether to deliver: one that has sent its close frame, or is closed, drops it.
     */
    void send(ByteBuffer utf8);

    /** Starts the closing handshake with a close code ({@link CloseCodes}) and a reason. */
    void close(int code, String reason);

    /**
     * True when the peer wants each group event with its place in the group's one order (a
     * resumable connection on a cluster): {@link #sendEvent} then gets the frame with it.
     */
    default boolean wantsPositions() {
        return false;
    }

    /** A group event at {@code position} in its group's order (a cluster's stream id); the frame carries it when {@link #wantsPositions}. */
    default void sendEvent(ByteBuffer utf8, String position) {
        send(utf8);
    }

    /**
     * The connection's session has a new id ({@code this.sess.regenerate()}): a transport that
     * checks a returning client's session cookie checks it against this one from now on.
     */
    default void renewSession(String sessionId) {
    }

    /** {@link #CONNECTING}, {@link #OPEN}, {@link #CLOSING} or {@link #CLOSED}. */
    int readyState();

    /**
     * Stop reading the client's frames for now: the runtime has as many of this connection's
     * frames waiting as it takes. TCP then pushes back on the client.
     */
    void pauseReading();

    /** Read the client's frames again; called once for each {@link #pauseReading()}. */
    void resumeReading();
}
