package io.workjs.runtime.internal;

import io.workjs.runtime.RuntimeLimits;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many frames may wait for the loop: per connection, and in all (count and size). A
 * connection over its own bound, or one that sends while the whole is over, stops being read
 * (its inbox pauses it). It is read again once its own queue is half empty and the whole is
 * under half of its bounds; until the whole is, it waits here, parked, and the loop resumes
 * parked connections after each batch, oldest first.
 *
 * <p>The whole is one counter, frames and characters packed together, so that each frame costs
 * the I/O thread one atomic add on a line it shares with the loop; the loop takes its frames
 * off in one subtraction per {@value #FLUSH_FRAMES} frames, and after each batch. So the whole
 * may count up to that many frames that have already run: it errs on the side of pausing.
 */
public final class InboundBudget {
    /** A frame counts this much in the packed total; the characters take the bits below it. */
    private static final int FRAME_SHIFT = 36;
    private static final long ONE_FRAME = 1L << FRAME_SHIFT;
    private static final long CHARS = ONE_FRAME - 1;
    /** The loop settles what it took at least this often, in frames. */
    private static final int FLUSH_FRAMES = 16;

    private final int perConnection;
    private final long maxFrames;
    private final long maxChars;
    private final AtomicLong total = new AtomicLong();
    /** Taken off by the loop and not yet subtracted from {@link #total}; loop thread only. */
    private long taken;
    /** Paused inboxes whose own queues are short, waiting for the whole to fall; loop thread only. */
    private final ArrayDeque<Inbox> parked = new ArrayDeque<>();

    public InboundBudget(RuntimeLimits limits) {
        this.perConnection = limits.maxPendingFrames();
        this.maxFrames = limits.maxPendingFramesTotal();
        this.maxChars = limits.maxPendingBytes();
    }

    /** A frame of {@code size} characters was queued by a connection that now holds {@code queued}; true when it must pause. */
    boolean add(int size, int queued) {
        long now = total.addAndGet(ONE_FRAME + size);
        return queued >= perConnection || (now >>> FRAME_SHIFT) >= maxFrames || (now & CHARS) >= maxChars;
    }

    /** A frame of {@code size} characters left the queue (it ran, or its connection closed); loop thread only. */
    void remove(int size) {
        taken += ONE_FRAME + size;
        if (taken >= FLUSH_FRAMES * ONE_FRAME) settle();
    }

    private void settle() {
        total.addAndGet(-taken);
        taken = 0;
    }

    /** True when a paused connection that holds {@code queued} frames may be read again now; loop thread only. */
    boolean mayResume(int queued) {
        return ownQueueIsShort(queued) && wholeIsLow();
    }

    /** True when a paused connection's own queue is short enough, whatever the whole. */
    boolean ownQueueIsShort(int queued) {
        return queued <= perConnection / 2;
    }

    private boolean wholeIsLow() {
        long now = total.get() - taken;
        return (now >>> FRAME_SHIFT) <= maxFrames / 2 && (now & CHARS) <= maxChars / 2;
    }

    /** Parks a paused inbox until the whole is low; loop thread only. */
    void park(Inbox inbox) {
        parked.add(inbox);
    }

    /** After each batch, on the loop: settles what the batch took, then resumes parked inboxes, oldest first, while the whole is low. */
    public void afterBatch() {
        if (taken != 0) settle();
        Inbox inbox;
        while (!parked.isEmpty() && wholeIsLow() && (inbox = parked.poll()) != null) inbox.unpark();
    }

    /** Frames waiting in all, as of the loop's last batch; for tests and diagnostics. */
    int frames() {
        return (int) (total.get() >>> FRAME_SHIFT);
    }
}
