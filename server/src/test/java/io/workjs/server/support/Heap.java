package io.workjs.server.support;

import java.lang.management.ManagementFactory;

/** The test JVM's heap, for tests that assert the server's memory stays bounded. */
public final class Heap {
    private Heap() {
    }

    /** Heap in use after garbage collection: the least of five GC-and-read rounds, in bytes. */
    public static long usedAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);   // lets the collector finish its concurrent work before reading
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
