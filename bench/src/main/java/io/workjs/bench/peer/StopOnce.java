package io.workjs.bench.peer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a helper process (Redis, PostgreSQL) exactly once: when its owner closes it, or when
 * the bench's JVM exits first, as an interrupted run does.
 */
final class StopOnce {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread atExit;

    /** {@code close} is the owner's close(), which starts with {@link #first()}. */
    StopOnce(String name, Runnable close) {
        this.atExit = new Thread(close, name);
    }

    /** From now on the JVM's exit closes the owner too. */
    void atExit() {
        Runtime.getRuntime().addShutdownHook(atExit);
    }

    /** True on the first call only; the exit hook is dropped then, unless it is the one running. */
    boolean first() {
        if (!stopped.compareAndSet(false, true)) return false;
        if (Thread.currentThread() != atExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(atExit);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down already
            }
        }
        return true;
    }
}
