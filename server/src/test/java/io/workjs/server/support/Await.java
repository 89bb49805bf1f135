package io.workjs.server.support;

import java.util.function.BooleanSupplier;

/** Waiting for a condition instead of sleeping. */
public final class Await {
    private Await() {
    }

    /** Polls until the condition holds, failing with {@code what} after 10 s. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
