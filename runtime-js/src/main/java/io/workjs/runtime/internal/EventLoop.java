package io.workjs.runtime.internal;

import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.LoopBatches;
import io.workjs.runtime.Metrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that owns the JavaScript context; nothing else ever enters it. Work arrives in
 * lanes: one per connection (its frames, in order) and one for everything else. The loop takes
 * turns among the lanes with work waiting, one task per lane per turn, so a connection with a
 * long queue delays each other connection by one task, never by its whole queue. Timers run
 * between batches of turns, as Node runs them between I/O callbacks.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.runtime");

    /** Turns taken per hand-off to the executor; timers due meanwhile run between batches. */
    private static final int BATCH = 256;
    /**
     * The longest the frames sent during a batch wait for its end before they are written anyway
     * (checked between turns, so one long turn can add its own length).
     */
    static final long HOLD_NANOS = 200_000;
    /** How long {@link #close()} waits for queued work, in ms. */
    public static final long SHUTDOWN_MILLIS = 2000;

    private final ScheduledThreadPoolExecutor executor;
    private final Queue<Lane> ready = new ConcurrentLinkedQueue<>();
    private final TaskLane tasks = new TaskLane();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final Watchdog watchdog;
    private final Metrics metrics;
    private final LoopBatches batches;
    private final Runnable afterBatch;
    private volatile Thread thread;
    private volatile long wokenNanos;
    /** True while {@link #drain} runs its batch; the loop thread's only. */
    private boolean inBatch;

    /**
     * A loop whose every task is timed by {@code watchdog}; {@code batches} hears when each batch
     * of turns starts and ends (the transport writes what it sent), and {@code afterBatch} runs on
     * the loop after each (the inbound budget resumes paused connections there).
     */
    public EventLoop(String name, Watchdog watchdog, Metrics metrics, LoopBatches batches, Runnable afterBatch) {
        this.watchdog = watchdog;
        this.metrics = metrics;
        this.batches = batches;
        this.afterBatch = afterBatch;
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = DaemonThreads.named(name).newThread(task);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * A queue of work that takes its turns on the loop as one. {@link #run} runs the lane's next
     * task, on the loop only; the lane is in the loop's ready queue at most once at a time.
     */
    public abstract static class Lane implements Runnable {
        private static final VarHandle SCHEDULED;

        static {
            try {
                SCHEDULED = MethodHandles.lookup().findVarHandle(Lane.class, "scheduled", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")   // through SCHEDULED
        private volatile int scheduled;

        /** Runs the lane's next task, if it has one it may run now. */
        @Override
        public abstract void run();

        /** True when the lane has a task it may run now. */
        protected abstract boolean runnable();
    }

    /** Puts a lane that has work into the turn order (unless it is there already) and wakes the loop. */
    public void ready(Lane lane) {
        // Most calls find the lane queued already: a read settles that without a write. (Work
        // added before this read is seen by the loop's check after it unqueues the lane.)
        if ((int) Lane.SCHEDULED.getVolatile(lane) != 0 || !Lane.SCHEDULED.compareAndSet(lane, 0, 1)) return;
        ready.add(lane);
        wake();
    }

    /**
     * Queues a task from any thread, in the loop's shared lane; a task that throws is logged and
     * the loop goes on. After shutdown, tasks are dropped.
     */
    public void post(Runnable task) {
        tasks.queue.add(task);
        ready(tasks);
    }

    /** Queues a task on the executor directly, outside the lanes. */
    public void execute(Runnable task) {
        executor.execute(() -> runTimed(task));
    }

    private void wake() {
        if (draining.compareAndSet(false, true)) {
            wokenNanos = System.nanoTime();
            try {
                executor.execute(drainTask);
            } catch (RejectedExecutionException stopping) {
                ready.clear();
            }
        }
    }

    private void drain() {
        long start = System.nanoTime();
        int ran = 0;
        batches.begin();
        inBatch = true;
        long held = start;
        try {
            for (; ran < BATCH; ran++) {
                Lane lane = ready.poll();
                if (lane == null) break;
                runTimed(lane);
                long now = System.nanoTime();
                if (now - held > HOLD_NANOS) {
                    // a frame sent early in a long batch does not wait for all of it
                    held = now;
                    handOver();
                }
                if (lane.runnable()) {
                    ready.add(lane);   // back of the line: one task per lane per turn
                } else {
                    Lane.SCHEDULED.setVolatile(lane, 0);
                    // work added after runnable() said no saw the lane scheduled: it is ours to queue
                    if (lane.runnable()) ready(lane);
                }
            }
        } finally {
            inBatch = false;
            endBatch();
        }
        try {
            afterBatch.run();
            metrics.loopBatch(ran, start - wokenNanos, System.nanoTime() - start);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "JS loop bookkeeping failed", e);
        }
        draining.set(false);
        // a lane queued after the last poll saw draining still set, so it is this drain's to wake
        if (!ready.isEmpty()) wake();
    }

    /**
     * The running task is about to wait in Java (a query, a session write): the frames its batch
     * has sent so far are handed to the transport now rather than after the wait. On the loop.
     */
    public void beforeWaiting() {
        if (!inBatch || Thread.currentThread() != thread) return;
        handOver();
    }

    /** Within a batch: ends the part of it run so far, so the transport writes what it sent, and goes on. */
    private void handOver() {
        endBatch();
        batches.begin();
    }

    private void endBatch() {
        try {
            batches.end();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "handing the loop's frames to the transport failed", e);
        }
    }

    /** Runs a task after a delay, once or repeatedly with that delay between runs. */
    public ScheduledFuture<?> schedule(Runnable task, long delayMillis, boolean repeat) {
        Runnable timed = () -> runTimed(task);
        return repeat
                ? executor.scheduleWithFixedDelay(timed, Math.max(1, delayMillis), Math.max(1, delayMillis), TimeUnit.MILLISECONDS)
                : executor.schedule(timed, delayMillis, TimeUnit.MILLISECONDS);
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

    /**
     * Runs a short task on the loop and waits at most {@code timeoutMillis} for its result; null
     * when the loop did not get to it in time (the task is then cancelled if it has not started).
     */
    public <T> T callWithin(Callable<T> task, long timeoutMillis) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("EventLoop.callWithin from the loop thread would deadlock");
        }
        Future<T> future = executor.submit(task);
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

        /** True when called from the loop thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void runTimed(Runnable task) {
        watchdog.begin();
        try {
            task.run();
        } catch (org.graalvm.polyglot.PolyglotException e) {
            // a task queued before the runtime closed finds the context gone: nothing to do for it
            if (e.isCancelled()) LOG.fine("a JS task after the runtime closed was dropped");
            else LOG.log(Level.SEVERE, "JS loop task failed", e);
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
        shutdown(SHUTDOWN_MILLIS);
    }

    /** Tasks posted from any thread, run in the order posted: one per turn, like a connection's frames. */
    private static final class TaskLane extends Lane {
        final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();

        @Override
        public void run() {
            Runnable task = queue.poll();
            if (task != null) task.run();
        }

        @Override
        protected boolean runnable() {
            return !queue.isEmpty();
        }
    }
}
