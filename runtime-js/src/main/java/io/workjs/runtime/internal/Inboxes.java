package io.workjs.runtime.internal;

import io.workjs.runtime.Metrics;
import io.workjs.runtime.Peer;
import io.workjs.runtime.RuntimeLimits;
import java.time.InstantSource;

/** What every {@link Inbox} of one runtime shares: the loop, the budget, the limits and the way into runtime.js. */
public final class Inboxes {
    final EventLoop loop;
    final Dispatch dispatch;
    final InboundBudget budget;
    final Metrics metrics;
    final InstantSource clock;
    final int maxJsonDepth;
    private final int callsPerSecond;
    private final int callBurst;

    Inboxes(EventLoop loop, Dispatch dispatch, InboundBudget budget, Metrics metrics, InstantSource clock, RuntimeLimits limits) {
        this.loop = loop;
        this.dispatch = dispatch;
        this.budget = budget;
        this.metrics = metrics;
        this.clock = clock;
        this.maxJsonDepth = limits.maxJsonDepth();
        this.callsPerSecond = limits.callsPerSecond();
        this.callBurst = limits.callBurst();
    }

    /** The inbox of a new connection to {@code file}; its open is queued on the loop at once. */
    public Inbox open(Peer peer, String file, String contextJson, String sessionId) {
        Inbox inbox = new Inbox(peer, this, file, contextJson, sessionId);
        loop.ready(inbox);
        return inbox;
    }

    /**
     * A member of {@code groupId} whose node is gone has left for good: its controller's exit()
     * runs here, queued on the loop, with a {@code this} made from {@code stateJson} (its state
     * after its last completed call) and its session. Its socket is gone with its node: what
     * exit() sends to it goes nowhere.
     */
    public void exitElsewhere(String groupId, String memberId, String stateJson, String sessionId) {
        JsConnection gone = new JsConnection(new GonePeer(memberId), null, sessionId);
        loop.post(() -> dispatch.exitElsewhere(gone, groupId, stateJson, sessionId));
    }

    /** The inbox of a connection that moved here from another node; its restore is queued on the loop at once. */
    public Inbox restore(Peer peer, String groupId, String stateJson, String sessionId, String after) {
        Inbox inbox = new Inbox(peer, this, groupId.substring(0, groupId.indexOf('\0')), null, sessionId);
        inbox.restoring(new Inbox.Restore(groupId, stateJson, after));
        loop.ready(inbox);
        return inbox;
    }

    /** Frames waiting for the loop, all connections together; for tests and diagnostics. */
    public int pendingFrames() {
        return budget.frames();
    }

    CallRate newRate() {
        return new CallRate(callsPerSecond, callBurst, clock.millis());
    }
}
