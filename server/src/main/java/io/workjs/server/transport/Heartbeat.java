package io.workjs.server.transport;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.LogContext;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;

/**
 * Finds connections whose peer is gone without a word. Every {@code interval} seconds each
 * connection is pinged; one that sends nothing at all (no pong, no frame) for {@code timeout}
 * seconds after a ping is closed with 1001 and its exit() runs. A connection whose reading the
 * server paused is not judged: its answer may be waiting, unread, behind its own frames.
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
        WebSocketChannel channel = c.channel();
        if (!channel.isOpen()) return;
        if (c.readingPaused) {
            c.heardNanos = now;   // its pong may be waiting unread behind its frames: not the peer's silence
            return;
        }
        long ping = c.pingNanos;
        boolean waiting = ping != 0 && c.heardNanos - ping < 0;
        if (waiting) {
            if (now - ping >= timeoutNanos) idle(c, channel);
            return;
        }
        WsEndpoint.Sink sink = c.sink;
        if (sink != null) sink.heartbeat(intervalNanos, timeoutNanos);
        if (now - c.nextPingNanos >= 0) {
            c.pingNanos = now;
            c.nextPingNanos = now + intervalNanos;
            // on the I/O thread, as every frame this server sends (WsConnection)
            channel.getIoThread().execute(() -> WebSockets.sendPing(ByteBuffer.allocate(0), channel, null));
        }
    }

    /** The close frame may be stuck behind unread data; the channel is closed either way. */
    private void idle(WsConnection c, WebSocketChannel channel) {
        if (c.idleClosing) {
            IoUtils.safeClose(channel);   // the close frame is still stuck, or went out and nothing came back
            return;
        }
        c.idleClosing = true;
        LogContext.connection(LOG, Level.INFO, c.id(), "connection " + c.id() + " did not answer a ping within "
                + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; closed");
        channel.getIoThread().execute(() -> WebSockets.sendClose(CloseCodes.GOING_AWAY, IDLE_REASON, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel channel, Void context) {
                IoUtils.safeClose(channel);
            }

            @Override
            public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                IoUtils.safeClose(channel);
            }
        }));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
