package io.workjs.runtime.internal;

import io.workjs.runtime.RuntimeLimits;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many frames may wait for the loop: per connection, and in all (count and size). A
 * connection over its own bound, or one that sends while the whole is over, stops being read
 * (its inbox pauses it). It is read again once its own queue is half empty and the whole is
 * under half of its bounds; until the whole is, it waits here, parked, and the loop resumes
 * parked connections after each batch, oldest first.
 */
public final class InboundBudget {
    private final int perConnection;
    private final int maxFrames;
    private final long maxBytes;
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** Paused inboxes whose own queues are short, waiting for the whole to fall; loop thread only. */
    private final ArrayDeque<Inbox> parked = new ArrayDeque<>();

    public InboundBudget(RuntimeLimits limits) {
        this.perConnection = limits.maxPendingFrames();
        this.maxFrames = limits.maxPendingFramesTotal();
        this.maxBytes = limits.maxPendingBytes();
    }

    /** A frame of {@code size} characters was queued by a connection that now holds {@code queued}; true when it must pause. */
    boolean add(int size, int queued) {
        int all = frames.incrementAndGet();
        long total = bytes.addAndGet(size);
        return queued >= perConnection || all >= maxFrames || total >= maxBytes;
    }

    /** A frame of {@code size} characters left the queue (it ran, or its connection closed). */
    void remove(int size) {
        frames.decrementAndGet();
        bytes.addAndGet(-size);
    }

    /** True when a paused connection that holds {@code queued} frames may be read again now. */
    boolean mayResume(int queued) {
        return queued <= perConnection / 2 && wholeIsLow();
    }

    /** True when a paused connection's own queue is short enough, whatever the whole. */
    boolean ownQueueIsShort(int queued) {
        return queued <= perConnection / 2;
    }

    private boolean wholeIsLow() {
        return frames.get() <= maxFrames / 2 && bytes.get() <= maxBytes / 2;
    }

    /** Parks a paused inbox until the whole is low; loop thread only. */
    void park(Inbox inbox) {
        parked.add(inbox);
    }

    /** Resumes parked inboxes, oldest first, while the whole is low; loop thread only, after each batch. */
    public void resumeParked() {
        Inbox inbox;
        while (wholeIsLow() && (inbox = parked.poll()) != null) inbox.unpark();
    }

    /** Frames waiting in all; for tests and diagnostics. */
    int frames() {
        return frames.get();
    }
}
