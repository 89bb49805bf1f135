package io.workjs.server.transport;

import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.LogContext;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds connections whose peer is gone without a word. Every {@code interval} seconds each
 * connection is pinged; one that sends nothing at all (no pong, no frame) for {@code timeout}
 * seconds after a ping is closed with 1001 and its exit() runs. A connection whose reading the
 * server paused is not judged: its answer may be waiting, unread, behind its own frames. A
 * socket whose close handshake does not finish within the timeout (the client never answers our
 * close frame, or never reads it) is closed outright.
 * One thread checks every connection a few times per interval; a ping is only queued, never
 * waited for.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.ws");
    static final String IDLE_REASON = "no answer to ping";

    private final long intervalNanos;
    private final long timeoutNanos;
    private final ScheduledExecutorService timer;

    Heartbeat(int intervalSeconds, int timeoutSeconds, Collection<WsConnection> connections) {
        intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-heartbeat"));
        long period = Math.clamp(Math.min(intervalSeconds, timeoutSeconds) * 250L, 100, 1000);
        timer.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (WsConnection c : connections) {
                try {
                    check(c, now);
                } catch (RuntimeException e) {
                    // a periodic task that throws is never run again: one connection must not end the heartbeat for all
                    LogContext.connection(LOG, Level.WARNING, c.id(), "heartbeat of connection " + c.id() + " failed: " + e);
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** A new connection gets its first ping one interval from now. */
    void start(WsConnection c) {
        c.nextPingNanos = System.nanoTime() + intervalNanos;
    }

    private void check(WsConnection c, long now) {
        if (!c.isOpen()) return;
        long closing = c.closingNanos;
        if (closing != 0) {
            if (now - closing >= timeoutNanos) c.end();   // our close frame, or the client's answer to it, is stuck
            return;
        }
        if (c.paused) {
            c.heardNanos = now;   // its pong may be waiting unread behind its frames: not the peer's silence
            return;
        }
        long ping = c.pingNanos;
        boolean waiting = ping != 0 && c.heardNanos - ping < 0;
        if (waiting) {
            if (now - ping >= timeoutNanos) idle(c);
            return;
        }
        WsEndpoint.Sink sink = c.sink;
        if (sink != null) sink.heartbeat(intervalNanos, timeoutNanos);
        if (now - c.nextPingNanos >= 0) {
            c.pingNanos = now;
            c.nextPingNanos = now + intervalNanos;
            c.ping();
        }
    }

    /** The close frame may be stuck behind unread data: the socket ends once it is written, or one timeout later. */
    private void idle(WsConnection c) {
        c.idleClosing = true;
        LogContext.connection(LOG, Level.INFO, c.id(), "connection " + c.id() + " did not answer a ping within "
                + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; closed");
        c.closeAndEnd(CloseCodes.GOING_AWAY, IDLE_REASON);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
