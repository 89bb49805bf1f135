package io.workjs.runtime;

/**
 * The runtime's side of one connection: where the transport hands what the client sent. Called
 * from the connection's I/O thread, in the order things arrived; never waits for JavaScript.
 */
public interface Inbound {

    /**
     * A text frame arrived. It waits in the connection's queue for the JS loop; when the
     * connection (or the server as a whole) has as many frames waiting as the limits allow, the
     * runtime calls {@link Peer#pauseReading()} before this returns.
     */
    void message(String text);

    /** The connection closed, for any reason: once its waiting frames have run, it leaves its group and exit() runs. */
    void closed();
}
