package io.workjs.runtime.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that owns the JavaScript context. Tasks and timers run on it one at a time in
 * the order they were queued, like Node's event loop; nothing else ever enters the context.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.runtime");

    private final ScheduledThreadPoolExecutor executor;
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
        return () -> {
            watchdog.begin();
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "JS loop task failed", t);
            } finally {
                watchdog.end();
            }
        };
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
