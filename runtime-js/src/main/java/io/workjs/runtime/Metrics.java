package io.workjs.runtime;

/**
 * What the runtime reports about its own work, for an operator to watch. Every method has an
 * empty default, and {@link #NONE} reports nothing (today's behaviour); a registry-backed
 * implementation plugs in here. Methods are called on hot paths: they must be cheap and never block.
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
}
