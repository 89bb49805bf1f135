package io.workjs.runtime.internal;

import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that owns the JavaScript context. Tasks and timers run on it one at a time in
 * the order they were queued, like Node's event loop; nothing else ever enters the context.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.runtime");

    private static final int BATCH = 256;

    private final ScheduledThreadPoolExecutor executor;
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final Watchdog watchdog;
    private volatile Thread thread;

    /** A loop whose every task is timed by {@code watchdog}. */
    public EventLoop(String name, Watchdog watchdog) {
        this.watchdog = watchdog;
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Queues a task; a task that throws is logged and the loop goes on. */
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    /**
     * Queues a task from another thread (the transport's open, message and close). Posted tasks
     * run in the order they were posted, in batches of at most {@value #BATCH}: one hand-off to
     * the executor per batch instead of per task, while each task is still timed on its own.
     * Timers due meanwhile run between batches. After shutdown, posted tasks are dropped.
     */
    public void post(Runnable task) {
        inbox.add(task);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException stopping) {
                inbox.clear();
            }
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = inbox.poll();
            if (task == null) break;
            runTimed(task);
        }
        draining.set(false);
        // a task posted after the last poll saw draining still set, so it is this drain's to schedule
        if (!inbox.isEmpty() && draining.compareAndSet(false, true)) executor.execute(drainTask);
    }

    /** Runs a task after a delay, once or repeatedly with that delay between runs. */
    public ScheduledFuture<?> schedule(Runnable task, long delayMillis, boolean repeat) {
        Runnable guarded = guarded(task);
        return repeat
                ? executor.scheduleWithFixedDelay(guarded, Math.max(1, delayMillis), Math.max(1, delayMillis), TimeUnit.MILLISECONDS)
                : executor.schedule(guarded, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs a task on the loop, untimed, and waits for its result; for start-up and shutdown only, never from the loop. */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("EventLoop.call from the loop thread would deadlock");
        }
        // Not timed: start-up may be slow while the engine warms up, and a controller whose
        // top-level code never ends should fail loudly, not be cut short at a random line.
        Future<T> future = executor.submit(task);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the JS loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** True when called from the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private Runnable guarded(Runnable task) {
        return () -> runTimed(task);
    }

    private void runTimed(Runnable task) {
        watchdog.begin();
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(Level.SEVERE, "JS loop task failed", t);
        } finally {
            watchdog.end();
        }
    }

    /** Stops taking tasks and waits up to the given time for queued ones to finish. */
    public void shutdown(long waitMillis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(2000);
    }
}
