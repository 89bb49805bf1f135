package io.workjs.server.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.XnioIoThread;

/**
 * The connections of one I/O thread that have frames waiting to be written. Frames come from
 * other threads (the JS loop, the cluster's listener); each connection is handed to its I/O
 * thread once per burst, and that thread writes all of a connection's waiting frames in one
 * gathering write ({@link WsConnection#write}). Undertow alone would queue one task and make
 * one write per frame: an event to 500 members of one I/O thread was 500 tasks and 500 system
 * calls, now one task and 500 writes, fewer still when events follow each other.
 *
 * <p>A burst is the JS loop's batch of turns ({@link Outflows}): the task is queued when the
 * batch ends. From other threads the first frame of a burst queues the task at once, and the
 * frames that arrive while it waits go with it. A task writes at most {@link #PER_TASK}
 * connections and queues itself again for the rest, so the thread goes on reading between.
 */
final class Outflow implements Runnable {
    static final int PER_TASK = 1024;

    private final XnioIoThread thread;
    private final Outflows batches;
    private final ConcurrentLinkedQueue<WsConnection> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    /** Connections listed during the loop's batch, not yet handed over; the loop thread's only. */
    private boolean held;

    Outflow(XnioIoThread thread, Outflows batches) {
        this.thread = thread;
        this.batches = batches;
    }

    /** The connection has frames to write; it is listed once until they are written. */
    void offer(WsConnection connection) {
        waiting.add(connection);
        if (batches.holds()) {
            held = true;
        } else {
            hand();
        }
    }

    /** On the loop thread, at the end of its batch: what it listed goes to the I/O thread. */
    void release() {
        if (held) {
            held = false;
            hand();
        }
    }

    private void hand() {
        if (!queued.compareAndSet(false, true)) return;
        try {
            thread.execute(this);
        } catch (RejectedExecutionException stopped) {
            // the listener has stopped: its sockets are closed, and their frames with them
            waiting.clear();
        }
    }

    /** On the I/O thread. A connection offered from now on is written by this task or the next. */
    @Override
    public void run() {
        queued.set(false);
        WsConnection connection;
        for (int n = 0; n < PER_TASK && (connection = waiting.poll()) != null; n++) connection.write();
        if (!waiting.isEmpty()) hand();
    }
}
