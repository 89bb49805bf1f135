package io.workjs.runtime.internal;

import io.workjs.runtime.Inbound;
import io.workjs.runtime.Peer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.graalvm.polyglot.Value;

/**
 * One connection's side of the loop: its open, its frames in arrival order, and its close, as a
 * lane of the {@link EventLoop}. The transport adds from the connection's I/O thread; the loop
 * takes. Everything that can be decided without JavaScript is decided here, as the frame
 * arrives: its nesting depth, the rate limit, and whether the connection has more frames waiting
 * than the {@link InboundBudget} allows, in which case its reading is paused. Frames wait until
 * init() has settled; a close that comes first drops them.
 *
 * <p>No lock: with calls in flight the I/O thread and the loop touch the same inbox all the
 * time, and a monitor they contend for costs both of them. The queue is lock-free, and the
 * state the two threads share is volatile or changed by compare-and-set.
 */
public final class Inbox extends EventLoop.Lane implements Inbound {
    /** Flags for runtime.js's {@code message(record, text, flags)}. */
    static final int TOO_DEEP = 1;
    static final int LIMITED = 2;
    static final int CUT_OFF = 4;

    private static final VarHandle QUEUE;
    private static final VarHandle OFFERED;
    private static final VarHandle TAKEN;
    private static final VarHandle PAUSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUE = lookup.findVarHandle(Inbox.class, "queue", ConcurrentLinkedQueue.class);
            OFFERED = lookup.findVarHandle(Inbox.class, "offered", int.class);
            TAKEN = lookup.findVarHandle(Inbox.class, "taken", int.class);
            PAUSED = lookup.findVarHandle(Inbox.class, "paused", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Peer peer;
    private final JsConnection connection;
    private final Inboxes shared;
    private final CallRate rate;
    private final String file;
    private final String contextJson;
    private final String sessionId;

    /** Made on the first frame (an idle connection costs none), by compare-and-set. */
    private volatile ConcurrentLinkedQueue<Object> queue;
    /**
     * Frames put in {@link #queue} (written by the I/O thread only) and taken out of it (by the
     * loop only): each side writes its own counter, so counting costs no atomic update, and
     * their difference is the length of the queue as either side last saw it: good enough to
     * decide a pause, never used to decide whether a frame waits.
     */
    @SuppressWarnings("unused")   // through OFFERED
    private int offered;
    @SuppressWarnings("unused")   // through TAKEN
    private int taken;
    /** 1 while the connection's reading is paused. */
    private volatile int paused;
    /** Set by the I/O thread when the socket closed. */
    private volatile boolean closePending;
    /** Set by the loop once the close has run; later frames are dropped. */
    private volatile boolean done;
    private boolean cutOff;              // I/O thread only
    private boolean openPending = true;  // loop thread only, from here on
    private boolean settled;             // loop thread only
    private boolean parked;              // loop thread only
    private Value record;                // loop thread only

    Inbox(Peer peer, Inboxes shared, String file, String contextJson, String sessionId) {
        this.peer = peer;
        this.shared = shared;
        this.rate = shared.newRate();
        this.file = file;
        this.contextJson = contextJson;
        this.sessionId = sessionId;
        this.connection = new JsConnection(peer, this, sessionId);
    }

    /** What a connection that moved here from another node is restored from (instead of init()). */
    record Restore(String groupId, String stateJson, String after) {
    }

    private Restore restore;            // set before the inbox is queued; loop thread after
    private boolean movedAway;          // set with closePending

    void restoring(Restore r) {
        this.restore = r;
    }

    /** A frame that runtime.js must answer without running it. */
    private record Flagged(String text, int flags) {
    }

    /** The socket dropped, or came back: queued with the frames, so that away() and back() keep their place among them. */
    private enum Turn { AWAY, BACK }

    /** A drain's close, queued behind the frames before it ({@link #drain}). */
    private record Drain(Runnable then) {
    }

    private Runnable draining;           // loop thread only: the drain's close, once its frames have run

    @Override
    public void message(String text) {
        if (done || closePending || cutOff) return;
        int flags = JsonDepth.exceeds(text, shared.maxJsonDepth) ? TOO_DEEP : 0;
        CallRate.Verdict verdict = rate.take(shared.clock.millis());
        if (verdict == CallRate.Verdict.CUT_OFF) {
            flags |= CUT_OFF;
            cutOff = true;   // this frame says so; later ones are dropped
        } else if (verdict == CallRate.Verdict.LIMITED) {
            flags |= LIMITED;
        }
        // A frame too deep is never parsed, so its text need not wait.
        Object item = flags == 0 ? text : new Flagged((flags & TOO_DEEP) != 0 ? null : text, flags);
        queue().offer(item);
        int offeredNow = (int) OFFERED.get(this) + 1;
        OFFERED.setRelease(this, offeredNow);
        int now = offeredNow - (int) TAKEN.getAcquire(this);
        if (shared.budget.add(size(item), now) && PAUSED.compareAndSet(this, 0, 1)) {
            shared.metrics.readingPaused();
            peer.pauseReading();
        }
        shared.loop.ready(this);
    }

    @Override
    public void detached() {
        offer(Turn.AWAY);
    }

    @Override
    public void resumed() {
        offer(Turn.BACK);
    }

    @Override
    public void drain(Runnable then) {
        if (done || closePending) return;
        offer(new Drain(then));
    }

    /** runtime.js: the calls the drain waited for are answered; its close runs now. Loop thread. */
    void idle() {
        Runnable then = draining;
        draining = null;
        if (then != null) then.run();
    }

    /** Queues an away, a back or a drain; it waits behind the frames before it but counts for no bound. */
    private void offer(Object turn) {
        if (done || closePending) return;
        queue().offer(turn);
        OFFERED.setRelease(this, (int) OFFERED.get(this) + 1);
        shared.loop.ready(this);
    }

    @Override
    public void closed() {
        if (closePending) return;
        closePending = true;
        shared.loop.ready(this);
    }

    @Override
    public void moved() {
        if (closePending) return;
        movedAway = true;
        closePending = true;
        shared.loop.ready(this);
    }

    /** init() has accepted or denied the connection; on the loop. */
    void settled() {
        settled = true;
        shared.loop.ready(this);
    }

    @Override
    protected boolean runnable() {
        if (done) return false;
        // The queue itself, not the counters: its offer is what the I/O thread orders before it
        // looks at whether the lane is queued (EventLoop.ready), so the loop cannot miss it.
        ConcurrentLinkedQueue<Object> q = queue;
        boolean framesWaiting = q != null && !q.isEmpty();
        // A pause decided as the loop took the connection's last frame is the loop's to undo (run()).
        boolean pauseToReconsider = settled && paused == 1 && !parked;
        return openPending || (settled && (framesWaiting || pauseToReconsider)) || (closePending && (!settled || !framesWaiting));
    }

    @Override
    public void run() {
        if (done) return;
        if (openPending) {
            openPending = false;
            record = restore == null ? shared.dispatch.open(connection, file, contextJson, sessionId)
                    : shared.dispatch.restore(connection, restore.groupId(), restore.stateJson(), sessionId, restore.after());
            restore = null;
            return;
        }
        Object item = settled ? pollFrame() : null;
        if (item != null) {
            if (record == null) return;
            if (item instanceof String text) shared.dispatch.message(record, text, 0);
            else if (item instanceof Flagged f) shared.dispatch.message(record, f.text(), f.flags());
            else if (item instanceof Drain d) {
                draining = d.then();
                if (shared.dispatch.idle(record)) idle();   // else runtime.js calls idle() once its calls are answered
            } else shared.dispatch.turn(record, item == Turn.AWAY ? "away" : "back");
        } else if (settled && paused == 1 && !closePending) {
            // The I/O thread paused reading after this loop had taken the frame that made it
            // pause: no later frame will bring the pause up to date, so the loop does it now.
            reconsiderPause((int) OFFERED.getAcquire(this) - (int) TAKEN.get(this));
        } else if (closePending) {
            done = true;
            while (pollFrame() != null) {
                // a frame of a connection closed before init() settled never runs
            }
            if (record != null && movedAway) shared.dispatch.moved(record);
            else if (record != null) shared.dispatch.closed(record);
            record = null;
        }
    }

    /** The next frame, with the budget and the pause brought up to date; null when none waits. */
    private Object pollFrame() {
        ConcurrentLinkedQueue<Object> q = queue;
        Object item = q == null ? null : q.poll();
        if (item == null) return null;
        int takenNow = (int) TAKEN.get(this) + 1;
        TAKEN.setRelease(this, takenNow);
        if (item instanceof Turn || item instanceof Drain) return item;
        int now = (int) OFFERED.getAcquire(this) - takenNow;
        shared.budget.remove(size(item));
        reconsiderPause(now);
        return item;
    }

    /** A paused connection that holds {@code queued} frames is read again, or parked until the whole is low. Loop thread. */
    private void reconsiderPause(int queued) {
        if (paused == 1 && shared.budget.ownQueueIsShort(queued)) {
            if (shared.budget.mayResume(queued)) {
                if (PAUSED.compareAndSet(this, 1, 0)) resumeReading();
            } else if (!parked) {
                parked = true;
                shared.budget.park(this);
            }
        }
    }

    /** The whole fell low: a parked connection is read again (if it is still paused). Loop thread. */
    void unpark() {
        parked = false;
        if (PAUSED.compareAndSet(this, 1, 0) && !done) resumeReading();
    }

    private void resumeReading() {
        shared.metrics.readingResumed();
        peer.resumeReading();
    }

    @SuppressWarnings("unchecked")
    private ConcurrentLinkedQueue<Object> queue() {
        ConcurrentLinkedQueue<Object> q = queue;
        if (q != null) return q;
        QUEUE.compareAndSet(this, null, new ConcurrentLinkedQueue<>());
        return queue;
    }

    private static int size(Object item) {
        if (item instanceof String s) return s.length();
        String text = ((Flagged) item).text();
        return text == null ? 0 : text.length();
    }
}
