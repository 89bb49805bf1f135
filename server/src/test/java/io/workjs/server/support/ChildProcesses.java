package io.workjs.server.support;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the tests do with the servers they start as processes of their own (Redis, nginx, nodes). */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits, at most 20 s, until {@code ready} says the process serves (its port answers); fails
     * with {@code what} and the process's log when it exits or does not get there in time.
     */
    public static void awaitReady(Process process, String what, BooleanSupplier ready, Supplier<String> log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException(what + " did not start:\n" + log.get());
            try {
                Thread.sleep(20);   // polling a port that is not open yet: no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
