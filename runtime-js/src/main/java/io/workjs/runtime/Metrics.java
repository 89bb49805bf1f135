package io.workjs.runtime;

/**
 * What the runtime and the server around it report about their work, for an operator to watch
 * (the admin listener's /metrics, docs/OPERATIONS.md). Every method has an empty default, and
 * {@link #NONE} reports nothing; the server's registry-backed implementation plugs in here.
 * Methods are called on hot paths, from any thread: they must be cheap and never block. Calls
 * by function and outcome are counted inside the runtime instead ({@link JsRuntime#callStats}).
 */
public interface Metrics {
    /** Reports nothing. */
    Metrics NONE = new Metrics() {
    };

    /** The loop ran a batch of {@code tasks} tasks: it waited {@code waitedNanos} to start and ran for {@code ranNanos}. */
    default void loopBatch(int tasks, long waitedNanos, long ranNanos) {
    }

    /** The watchdog stopped a task that ran past {@code callTimeoutMs}. */
    default void watchdogInterrupted() {
    }

    /** The server stopped reading a connection: too many of its frames (or of all frames) were waiting for the loop. */
    default void readingPaused() {
    }

    /** The server reads that connection again. */
    default void readingResumed() {
    }

    /** A group event was published ({@code this.emit}), once however many members get it. */
    default void eventEmitted() {
    }

    /** A WebSocket connection opened on the route with this pattern. */
    default void connected(String route) {
    }

    /** A connection of that route ended; {@code reason} is one of a few fixed words (docs/OPERATIONS.md). */
    default void disconnected(String route, String reason) {
    }

    /** An upgrade or a connection was refused; {@code reason} is {@code origin}, {@code limits}, {@code draining} or {@code init}. */
    default void denied(String reason) {
    }

    /** A frame of {@code bytes} bytes was queued to a client. */
    default void frameSent(int bytes) {
    }

    /** A frame of {@code bytes} bytes arrived from a client. */
    default void frameReceived(int bytes) {
    }

    /** A client that read too slowly was dropped. */
    default void slowClientDropped() {
    }

    /** A resumable connection's client came back, or could not; {@code outcome} as in the protocol's refusal codes, or {@code resumed}. */
    default void resume(String outcome) {
    }
}
