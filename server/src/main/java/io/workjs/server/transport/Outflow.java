package io.workjs.server.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * <p>Nothing is held back in time: the first frame of a burst queues the task at once, and the
 * frames that arrive while it waits go with it. A task writes at most {@link #PER_TASK}
 * connections and queues itself again for the rest, so the thread goes on reading between.
 */
final class Outflow implements Runnable {
    static final int PER_TASK = 1024;

    private final XnioIoThread thread;
    private final ConcurrentLinkedQueue<WsConnection> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean queued = new AtomicBoolean();

    private Outflow(XnioIoThread thread) {
        this.thread = thread;
    }

    /** The connection has frames to write; it is listed once until they are written. */
    void offer(WsConnection connection) {
        waiting.add(connection);
        if (queued.compareAndSet(false, true)) thread.execute(this);
    }

    /** On the I/O thread. A connection offered from now on is written by this task or the next. */
    @Override
    public void run() {
        queued.set(false);
        WsConnection connection;
        for (int n = 0; n < PER_TASK && (connection = waiting.poll()) != null; n++) connection.write();
        if (!waiting.isEmpty() && queued.compareAndSet(false, true)) thread.execute(this);
    }

    /** One outflow per I/O thread, made when the thread's first connection opens. */
    static final class PerThread {
        private final ConcurrentHashMap<XnioIoThread, Outflow> outflows = new ConcurrentHashMap<>();

        Outflow of(XnioIoThread thread) {
            return outflows.computeIfAbsent(thread, Outflow::new);
        }
    }
}
