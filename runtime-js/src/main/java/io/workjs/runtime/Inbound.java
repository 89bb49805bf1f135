package io.workjs.runtime;

/**
 * The runtime's side of one connection: where the transport hands what the client sent. Called
 * by one thread at a time, in the order things happened (the connection's I/O thread; a
 * resumable connection's transport serializes the calls of its successive sockets); never waits
 * for JavaScript.
 */
public interface Inbound {

    /**
     * A text frame arrived. It waits in the connection's queue for the JS loop; when the
     * connection (or the server as a whole) has as many frames waiting as the limits allow, the
     * runtime calls {@link Peer#pauseReading()} before this returns.
     */
    void message(String text);

    /**
     * The socket of a resumable connection dropped and the client may come back with the same
     * connection: once the frames that arrived before have run, the controller's away() runs.
     * The connection stays in its group; what is sent to it meanwhile is the peer's to keep.
     */
    void detached();

    /** The client of a detached connection came back on a new socket: back() runs, in order with its frames. */
    void resumed();

    /**
     * A drain (docs/OPERATIONS.md): once the frames that arrived before have run and the calls
     * they started are answered (a Promise a call returned has settled), {@code then} runs, on the
     * JS loop, to close the socket. Nothing else changes: frames that arrive meanwhile still run.
     */
    default void drain(Runnable then) {
        then.run();
    }

    /** The connection ended for good, for any reason: once its waiting frames have run, it leaves its group and exit() runs. */
    void closed();

    /**
     * The connection moved to another node of the cluster: it leaves this node without leaving
     * its group, and exit() does not run (it runs where the connection ends).
     */
    default void moved() {
        closed();
    }
}
