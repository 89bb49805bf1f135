package io.workjs.server.cluster;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node's operations on its groups, from the moment they are made until Redis has applied
 * them, in the order they were made. While Redis answers, each is sent at once (pipelined on
 * the one command connection, so they arrive in order); while it does not, they wait here, and
 * when it is back they are sent again from the oldest, in order (Redis applies a resent one
 * once). At most {@code max} wait: past that, an event is dropped and counted, and its group is
 * told later how many ({@link #takeLost}). A membership change may be dropped too: the
 * resynchronisation after Redis's return states every member again.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger("workjs.cluster");

    /** Sends an operation to Redis; the listener hears how it went. */
    interface Sender {
        void send(Op op, Outbox outbox);
    }

    /** While Redis is up, operations on the wire count too: this many may be, whatever the bound for an outage. */
    static final int MIN_IN_FLIGHT = 1024;

    private final int max;
    private final Sender sender;
    private final ArrayDeque<Op> waiting = new ArrayDeque<>();   // guarded by this
    private final java.util.Map<String, Long> lost = new java.util.HashMap<>();   // group -> events dropped, guarded by this
    private final AtomicLong dropped = new AtomicLong();
    private boolean sending = true;   // guarded by this: false while Redis is down

    Outbox(int max, Sender sender) {
        this.max = max;
        this.sender = sender;
    }

    /** Keeps the operation and sends it if Redis is up; false, keeping nothing, when the outbox is full. */
    synchronized boolean add(Op op) {
        int bound = sending ? Math.max(max, MIN_IN_FLIGHT) : max;
        // A gap report is never dropped (it is the drops' report), nor a leave (a node has at most
        // one per member, and a leave lost would leave a member in its group for good).
        if (waiting.size() >= bound && op.type() != Message.GAP && op.type() != Message.LEFT) {
            if (op.type() == Message.EVENT) {
                lost.merge(op.groupId(), 1L, Long::sum);
                long n = dropped.incrementAndGet();
                if (Long.bitCount(n) == 1) LOG.warning("cluster: outbox full (" + max + " operations, CONF redisOutboxEvents): "
                        + n + " event(s) dropped so far; their groups' members will be told of the gap");
            }
            return false;
        }
        waiting.add(op);
        if (sending) sender.send(op, this);
        return true;
    }

    /** Redis applied the operation (or had already): it is forgotten. */
    synchronized void applied(Op op) {
        if (waiting.peekFirst() == op) waiting.pollFirst();
        else removeIdentical(op);
        drainedIfEmpty();
    }

    /** Completes once every operation made before this call has been applied by Redis (or dropped). */
    synchronized java.util.concurrent.CompletableFuture<Void> drained() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        if (waiting.isEmpty()) {
            done.complete(null);
        } else {
            long last = waiting.peekLast().number();
            drains.add(new Drain(waiting.peekLast().run(), last, done));
        }
        return done;
    }

    /** Someone waiting for the operations up to {@code number} of {@code run} (this outbox's) to be applied. */
    private record Drain(String run, long number, java.util.concurrent.CompletableFuture<Void> done) {
    }

    private final java.util.List<Drain> drains = new java.util.ArrayList<>();   // guarded by this

    private void drainedIfEmpty() {
        if (drains.isEmpty()) return;
        long oldest = waiting.isEmpty() ? Long.MAX_VALUE : waiting.peekFirst().number();
        for (java.util.Iterator<Drain> it = drains.iterator(); it.hasNext(); ) {
            Drain d = it.next();
            if (d.number() < oldest) {
                d.done().complete(null);
                it.remove();
            }
        }
    }

    /** Redis refused the operation for a reason of its own: it is dropped, with a log line, as no resend can help. */
    synchronized void refused(Op op, Throwable error) {
        if (removeIdentical(op) && op.type() == Message.EVENT) {
            lost.merge(op.groupId(), 1L, Long::sum);
            dropped.incrementAndGet();
        }
        drainedIfEmpty();
        LOG.log(Level.SEVERE, "cluster: Redis refused an operation of type " + op.type(), error);
    }

    /** Redis is down: nothing more is sent until {@link #resume}. */
    synchronized void pause() {
        sending = false;
    }

    /** Redis is back: everything waiting is sent again, oldest first; new operations go out at once. */
    synchronized void resume() {
        sending = true;
        for (Op op : waiting) sender.send(op, this);
    }

    /** The events dropped since the last call, by group, and forgets them; none while Redis is down (they are reported once it is back). */
    synchronized java.util.Map<String, Long> takeLost() {
        if (lost.isEmpty() || !sending) return java.util.Map.of();
        java.util.Map<String, Long> taken = java.util.Map.copyOf(lost);
        lost.clear();
        return taken;
    }

    /** True when events were dropped since the last {@link #takeLost}. */
    synchronized boolean hasLost() {
        return !lost.isEmpty();
    }

    /** Operations not yet applied. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Events dropped since start. */
    long dropped() {
        return dropped.get();
    }

    private boolean removeIdentical(Op op) {
        for (Iterator<Op> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next() == op) {
                it.remove();
                return true;
            }
        }
        return false;
    }
}
