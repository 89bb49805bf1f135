package io.workjs.bench;

import java.time.Duration;
import java.util.List;

/** How long and how big each scenario runs; {@link #smoke()} shrinks everything to seconds. */
public record Settings(
        boolean smoke,
        Duration warmup,          // load before measuring, per scenario
        Duration measure,         // the measured window, per scenario
        Duration startupWindow,   // RPC load from the first answered call, to watch the JIT warm up
        int clientThreads,        // the load generator's event-loop threads
        int rpcConnections,
        int rpcDepth,             // calls each RPC connection keeps outstanding
        List<int[]> fanouts,      // {groups, members per group}
        int fanoutWindow,         // emits each group keeps in flight until every member has them
        List<Integer> idleCounts,
        int churnConcurrency) {   // connections opening and closing at once

    public static Settings full(int clientThreads) {
        return new Settings(false, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                clientThreads, 100, 8, List.of(new int[] {1, 1000}, new int[] {10, 100}), 16,
                List.of(10_000, 19_000), 64);
    }

    public static Settings smoke(int clientThreads) {
        return new Settings(true, Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(2),
                clientThreads, 100, 8, List.of(new int[] {1, 1000}, new int[] {10, 100}), 16,
                List.of(500), 16);
    }
}
