package io.workjs.runtime.internal;

import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.Metrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.graalvm.polyglot.Context;

/**
 * Stops a task that holds the JS loop too long. The loop marks each task's start and end; a
 * checker thread interrupts the context (GraalJS {@code Context.interrupt}: the running guest
 * code throws an uncatchable interrupted exception, and the context stays usable) when the
 * same task has run past the limit. Start, end and the interrupt share one lock, so an
 * interrupt can only ever hit the task it was aimed at, never the next one.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.runtime");
    /** How long an interrupt may take to stop the guest code before the checker gives up waiting, in seconds. */
    private static final int INTERRUPT_WAIT_SECONDS = 5;

    private final long limitNanos;
    private final Metrics metrics;
    private final ScheduledExecutorService checker;
    private final Object lock = new Object();
    private Context context;
    private boolean running;
    private long startedNanos;
    /**
     * Cancels what the running task waits for in Java (a query), which an interrupt cannot
     * reach. Not under {@link #lock}: the interrupt holds that lock while it waits for the task,
     * and the task clears this as it comes back from the query.
     */
    private final AtomicReference<Runnable> blocked = new AtomicReference<>();

    public Watchdog(long limitMillis, Metrics metrics) {
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
        this.metrics = metrics;
        checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-watchdog"));
        long period = Math.max(5, limitMillis / 4);
        checker.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** The context to interrupt; until it is set, nothing is. */
    void attach(Context context) {
        synchronized (lock) {
            this.context = context;
        }
    }

    /** The limit, in ms. */
    public long limitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(limitNanos);
    }

    void begin() {
        synchronized (lock) {
            running = true;
            startedNanos = System.nanoTime();
        }
    }

    void end() {
        synchronized (lock) {
            running = false;
        }
    }

    /**
     * The running task now waits in Java for something that {@code cancel} can stop (a query at
     * the database); null once it no longer does. An interrupt only stops guest code, so the
     * watchdog cancels this first.
     */
    public void blockedOn(Runnable cancel) {
        blocked.set(cancel);
    }

    /**
     * Waits until an interrupt in progress has finished. The loop calls it after catching an
     * interrupted exception and before it enters the context again to report the timeout.
     */
    public void settle() {
        synchronized (lock) {
            running = true;   // the report is part of the same task; restart its clock
            startedNanos = System.nanoTime();
        }
    }

    private void check() {
        synchronized (lock) {
            if (!running || context == null || System.nanoTime() - startedNanos < limitNanos) return;
            metrics.watchdogInterrupted();
            Runnable cancel = blocked.getAndSet(null);
            if (cancel != null) cancel.run();
            try {
                context.interrupt(Duration.ofSeconds(INTERRUPT_WAIT_SECONDS));
            } catch (TimeoutException e) {
                LOG.severe("a JS task ran past " + limitMillis() + " ms and did not stop within "
                        + INTERRUPT_WAIT_SECONDS + " s of being interrupted");
            } catch (RuntimeException e) {
                LOG.warning("could not interrupt a JS task: " + e);
            }
            startedNanos = System.nanoTime();   // one interrupt per limit, even if the task ignores it
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
