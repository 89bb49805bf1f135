package io.workjs.runtime.internal;

import io.workjs.runtime.Inbound;
import io.workjs.runtime.Peer;
import java.util.ArrayDeque;
import org.graalvm.polyglot.Value;

/**
 * One connection's side of the loop: its open, its frames in arrival order, and its close, as a
 * lane of the {@link EventLoop}. The transport adds from the connection's I/O thread; the loop
 * takes. Everything that can be decided without JavaScript is decided here, as the frame
 * arrives: its nesting depth, the rate limit, and whether the connection has more frames waiting
 * than the {@link InboundBudget} allows, in which case its reading is paused. Frames wait until
 * init() has settled; a close that comes first drops them.
 */
public final class Inbox extends EventLoop.Lane implements Inbound {
    /** Flags for runtime.js's {@code message(record, text, flags)}. */
    static final int TOO_DEEP = 1;
    static final int LIMITED = 2;
    static final int CUT_OFF = 4;

    private final Peer peer;
    private final JsConnection connection;
    private final Inboxes shared;
    private final CallRate rate;
    private final String file;
    private final String contextJson;
    private final String sessionId;

    // Guarded by this: the I/O thread adds, the loop takes.
    private ArrayDeque<Object> queue;   // made on the first frame: an idle connection costs none
    private boolean openPending = true;
    private boolean settled;
    private boolean closePending;
    private boolean done;
    private boolean cutOff;
    private boolean paused;
    private boolean parked;

    private Value record;   // loop thread only

    Inbox(Peer peer, Inboxes shared, String file, String contextJson, String sessionId) {
        this.peer = peer;
        this.shared = shared;
        this.rate = shared.newRate();
        this.file = file;
        this.contextJson = contextJson;
        this.sessionId = sessionId;
        this.connection = new JsConnection(peer, this);
    }

    /** A frame that runtime.js must answer without running it. */
    private record Flagged(String text, int flags) {
    }

    @Override
    public void message(String text) {
        int flags = JsonDepth.exceeds(text, shared.maxJsonDepth) ? TOO_DEEP : 0;
        CallRate.Verdict verdict = rate.take(shared.clock.millis());
        if (verdict != CallRate.Verdict.ALLOWED) flags |= verdict == CallRate.Verdict.CUT_OFF ? CUT_OFF : LIMITED;
        // A frame too deep is never parsed, so its text need not wait.
        Object item = flags == 0 ? text : new Flagged((flags & TOO_DEEP) != 0 ? null : text, flags);
        boolean pause = false;
        synchronized (this) {
            if (done || closePending || cutOff) return;
            if ((flags & CUT_OFF) != 0) cutOff = true;   // this frame says so; later ones are dropped
            if (queue == null) queue = new ArrayDeque<>(4);
            queue.add(item);
            if (shared.budget.add(size(item), queue.size()) && !paused) {
                paused = true;
                pause = true;
            }
        }
        if (pause) {
            shared.metrics.readingPaused();
            peer.pauseReading();
        }
        shared.loop.ready(this);
    }

    @Override
    public void closed() {
        synchronized (this) {
            if (closePending) return;
            closePending = true;
        }
        shared.loop.ready(this);
    }

    /** init() has accepted or denied the connection; on the loop. */
    void settled() {
        synchronized (this) {
            settled = true;
        }
        shared.loop.ready(this);
    }

    @Override
    protected synchronized boolean runnable() {
        if (done) return false;
        boolean framesWaiting = queue != null && !queue.isEmpty();
        return openPending || (settled && framesWaiting) || (closePending && (!settled || !framesWaiting));
    }

    @Override
    public void run() {
        Object item = null;
        boolean open = false;
        boolean close = false;
        boolean resume = false;
        synchronized (this) {
            if (done) return;
            if (openPending) {
                openPending = false;
                open = true;
            } else if (settled && queue != null && !queue.isEmpty()) {
                item = queue.poll();
                shared.budget.remove(size(item));
                resume = paused && shared.budget.ownQueueIsShort(queue.size());
                if (resume && !shared.budget.mayResume(queue.size())) {
                    resume = false;
                    if (!parked) {
                        parked = true;
                        shared.budget.park(this);
                    }
                } else if (resume) {
                    paused = false;
                }
            } else if (closePending) {
                dropQueued();
                done = true;
                close = true;
            }
        }
        if (resume) resumeReading();
        if (open) {
            record = shared.dispatch.open(connection, file, contextJson, sessionId);
        } else if (item != null && record != null) {
            if (item instanceof Flagged f) shared.dispatch.message(record, f.text(), f.flags());
            else shared.dispatch.message(record, (String) item, 0);
        } else if (close && record != null) {
            shared.dispatch.closed(record);
            record = null;
        }
    }

    /** The whole fell low: a parked connection is read again (if it is still paused). Loop thread. */
    void unpark() {
        boolean resume;
        synchronized (this) {
            parked = false;
            resume = paused && !done;
            paused = false;
        }
        if (resume) resumeReading();
    }

    private void resumeReading() {
        shared.metrics.readingResumed();
        peer.resumeReading();
    }

    private void dropQueued() {
        if (queue == null) return;
        for (Object item : queue) shared.budget.remove(size(item));
        queue = null;
    }

    private static int size(Object item) {
        if (item instanceof String s) return s.length();
        String text = ((Flagged) item).text();
        return text == null ? 0 : text.length();
    }
}
