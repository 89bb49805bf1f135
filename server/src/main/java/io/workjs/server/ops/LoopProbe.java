package io.workjs.server.ops;

import io.workjs.runtime.DaemonThreads;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Measures the JS loop once a second for {@code workjs_js_loop_lag_seconds} and
 * {@code workjs_js_loop_busy_ratio}: a probe task queued behind whatever waits, and the time it
 * waited. A probe still waiting at the next tick counts as lag that long, so a stuck loop shows
 * as a growing lag, not as the last good figure.
 */
public final class LoopProbe implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-loop-probe"));
    private final Consumer<Runnable> loop;
    private final ServerMetrics metrics;
    private volatile long waitingSince;   // nanoTime the outstanding probe was queued, 0 when none is
    private long lastTick = System.nanoTime();   // timer thread only

    /** {@code loop} queues a task on the JS loop. */
    public LoopProbe(Consumer<Runnable> loop, ServerMetrics metrics) {
        this.loop = loop;
        this.metrics = metrics;
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        long now = System.nanoTime();
        long elapsed = now - lastTick;
        lastTick = now;
        metrics.sampleBusy(elapsed);
        long since = waitingSince;
        if (since != 0) {
            metrics.lag(now - since);   // the last probe has not run yet: its wait so far is the lag
            return;
        }
        waitingSince = now;
        try {
            loop.accept(() -> {
                metrics.lag(System.nanoTime() - now);
                waitingSince = 0;
            });
        } catch (RuntimeException stopped) {
            waitingSince = 0;   // the loop is shutting down
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
