package io.workjs.server.transport;

import io.workjs.runtime.LoopBatches;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.XnioIoThread;

/**
 * Each I/O thread's {@link Outflow}, made when the thread's first connection opens; and the
 * loop's batches. While the JS loop runs a batch of turns, the frames it sends are listed but
 * their I/O threads are not woken: at the batch's end each I/O thread with frames gets one task,
 * and a connection's replies of the whole batch leave in one write. Frames sent from any other
 * thread, or by the loop outside a batch (a timer), are written as soon as they are sent.
 */
public final class Outflows implements LoopBatches {
    private final ConcurrentHashMap<XnioIoThread, Outflow> outflows = new ConcurrentHashMap<>();
    /** The loop's thread while it runs a batch, else null. */
    private volatile Thread holding;

    Outflow of(XnioIoThread thread) {
        return outflows.computeIfAbsent(thread, t -> new Outflow(t, this));
    }

    /** True on the loop's thread during a batch: the frame waits for {@link #end}. */
    boolean holds() {
        return Thread.currentThread() == holding;
    }

    @Override
    public void begin() {
        holding = Thread.currentThread();
    }

    @Override
    public void end() {
        holding = null;
        for (Outflow outflow : outflows.values()) outflow.release();
    }
}
