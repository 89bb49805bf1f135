package io.workjs.bench;

import java.time.Duration;
import java.util.List;

/** How long and how big each scenario runs; {@link #smoke()} shrinks everything to seconds. */
public record Settings(
        boolean smoke,
        Duration warmup,          // load before measuring, per scenario
        Duration rpcWarmup,       // load before the first measured RPC window: the JIT settles
        Duration measure,         // the measured window, per scenario
        Duration startupWindow,   // RPC load from the first answered call, to watch the JIT warm up
        int clientThreads,        // the load generator's event-loop threads
        int rpcConnections,
        int rpcDepth,             // calls each RPC connection keeps outstanding
        List<int[]> fanouts,      // {groups, members per group}
        int fanoutWindow,         // emits each group keeps in flight until every member has them
        List<Integer> idleCounts,
        int churnConcurrency,     // connections opening and closing at once
        int stormCount,           // resumable connections cut at once and resumed
        int detachedCount,        // resumable connections left detached
        int dbConnections,        // connections of the db scenario
        int dbDepth) {            // calls each of them keeps outstanding

    public static Settings full(int clientThreads) {
        // The JVM servers' JITs (C2, and for WorkJS the Graal compiler compiling JavaScript while
        // C2 compiles Graal itself) keep two cores busy for about a minute after start; a window
        // measured before that measures the compilers, not the server (bench/RESULTS.md).
        return new Settings(false, Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30),
                clientThreads, 100, 8, List.of(new int[] {1, 1000}, new int[] {10, 100}), 16,
                List.of(10_000, 19_000), 64, 1000, 10_000, 100, 1);
    }

    /** The same settings with another warm-up before each measured window. */
    public Settings withWarmup(Duration warmup) {
        return new Settings(smoke, warmup, warmup, measure, startupWindow, clientThreads, rpcConnections, rpcDepth, fanouts,
                fanoutWindow, idleCounts, churnConcurrency, stormCount, detachedCount, dbConnections, dbDepth);
    }

    /** The same settings with another number of events each fan-out group keeps in flight. */
    public Settings withFanoutWindow(int window) {
        return new Settings(smoke, warmup, rpcWarmup, measure, startupWindow, clientThreads, rpcConnections, rpcDepth, fanouts,
                window, idleCounts, churnConcurrency, stormCount, detachedCount, dbConnections, dbDepth);
    }

    public static Settings smoke(int clientThreads) {
        return new Settings(true, Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(2),
                clientThreads, 100, 8, List.of(new int[] {1, 1000}, new int[] {10, 100}), 16,
                List.of(500), 16, 100, 500, 100, 1);
    }
}
