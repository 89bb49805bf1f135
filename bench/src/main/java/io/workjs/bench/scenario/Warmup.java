package io.workjs.bench.scenario;

import io.workjs.bench.peer.Servers;
import java.io.IOException;
import java.time.Duration;

/**
 * The load before a measured window: at least the scenario's warm-up, then on until the
 * servers' JIT compilers have gone quiet, for at most {@link #MAX_EXTRA} more. Two JVMs of a
 * cluster compiling on two shared cores were still compiling after a fixed minute, and their
 * window measured the compilers (bench/RESULTS.md, section 8d). Servers without JVM compiler
 * threads (the Node peers) get the fixed warm-up only.
 */
final class Warmup {
    /** Compilers that used less than this much of a core (all processes together) over one step are quiet. */
    static final double QUIET_CORES = 0.10;
    static final Duration STEP = Duration.ofSeconds(5);
    static final Duration MAX_EXTRA = Duration.ofSeconds(120);

    private Warmup() {
    }

    /** Runs the warm-up; returns how long it took, in seconds. */
    static double run(Servers server, Duration minimum, boolean smoke) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(minimum.toMillis());
        if (smoke) {
            return seconds(start);
        }
        long deadline = System.nanoTime() + MAX_EXTRA.toNanos();
        double before = server.compilerCpuSeconds();
        while (!Double.isNaN(before) && System.nanoTime() < deadline) {
            long stepStart = System.nanoTime();
            double now = before;
            // sampled every second, so that a compiler thread the JVM ends costs at most a second of its work
            for (long s = 0; s < STEP.toSeconds(); s++) {
                Thread.sleep(1000);
                now = server.compilerCpuSeconds();
            }
            if ((now - before) / ((System.nanoTime() - stepStart) / 1e9) < QUIET_CORES) {
                break;
            }
            before = now;
        }
        return seconds(start);
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }
}
