package io.workjs.server.transport;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.LogContext;
import io.workjs.runtime.Metrics;
import io.workjs.runtime.Peer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;

/**
 * One upgraded WebSocket connection: the runtime's {@link Peer} over an Undertow channel.
 * Frames sent from any thread reach the socket through its I/O thread's {@link Outflow}, in
 * order, close frame included. It counts the bytes sent and not yet written; a client that lets more than
 * {@code maxQueuedBytes} pile up is dropped at once, so nobody waits for it and it costs
 * bounded memory. Reading pauses through Undertow's receive suspension, so TCP pushes back on
 * a client that sends faster than the runtime takes its frames.
 */
final class WsConnection implements Peer {
    private static final Logger LOG = Logger.getLogger("workjs.ws");
    /** At most this many frames in one write; the rest go in the outflow's next task. */
    private static final int FRAMES_PER_WRITE = 256;

    private final String id;
    private final WebSocketChannel channel;
    private final long maxQueuedBytes;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean dropped = new AtomicBoolean();
    /** Frames sent and not yet handed to Undertow: text as ByteBuffer, and a {@link Close}. */
    private final ConcurrentLinkedQueue<Object> frames = new ConcurrentLinkedQueue<>();
    /** True while this connection is listed in its I/O thread's outflow. */
    private final AtomicBoolean listed = new AtomicBoolean();
    private final Outflow outflow;
    private final Metrics metrics;
    /** The close code our close frame carries, 0 until one is queued. */
    private volatile int closeCode;
    /** Set once our close frame is queued: nothing is sent after it. */
    private volatile boolean closing;
    /** When the peer last sent anything, and when the unanswered ping went out (0: none); System.nanoTime(). */
    volatile long heardNanos = System.nanoTime();
    volatile long pingNanos;
    volatile long nextPingNanos;
    /** Set once the heartbeat has given up on the peer; the next check closes the channel outright. */
    volatile boolean idleClosing;
    /** True while the runtime has paused reading: the peer's pongs are not read then, so the heartbeat waits. */
    volatile boolean readingPaused;
    /** Where this socket's frames and its end go (the endpoint sets it before reading starts). */
    volatile WsEndpoint.Sink sink;


    WsConnection(String id, WebSocketChannel channel, long maxQueuedBytes, Outflow outflow, Metrics metrics) {
        this.id = id;
        this.metrics = metrics;
        this.channel = channel;
        this.maxQueuedBytes = maxQueuedBytes;
        this.outflow = outflow;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String text) {
        if (sending()) queue(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void send(ByteBuffer utf8) {
        if (sending()) queue(utf8.duplicate());
    }

    /** Frames go out until the channel closes or our close frame is queued (RFC 6455: nothing after it). */
    private boolean sending() {
        return !closing && channel.isOpen() && !channel.isCloseFrameSent();
    }

    private void queue(ByteBuffer data) {
        int size = data.remaining();
        if (queued.addAndGet(size) > maxQueuedBytes) {
            drop();
            return;
        }
        metrics.frameSent(size);
        enqueue(data);
    }

    private void enqueue(Object frame) {
        frames.add(frame);
        if (listed.compareAndSet(false, true)) outflow.offer(this);
    }

    /**
     * On the I/O thread ({@link Outflow}): every frame waiting, in the order sent, with one
     * flush at the end, so they leave in one gathering write. The explicit-flush mode is on only
     * while this runs, so Undertow's own frames (a pong, its close for a bad frame) are never
     * held, and the thread does nothing else meanwhile.
     */
    void write() {
        listed.set(false);
        channel.setRequireExplicitFlush(true);
        try {
            Object frame;
            for (int n = 0; n < FRAMES_PER_WRITE && (frame = frames.poll()) != null; n++) {
                if (frame instanceof ByteBuffer data) writeText(data);
                else if (frame instanceof Close close) WebSockets.sendClose(close.code(), close.reason(), channel, null);
            }
        } finally {
            channel.setRequireExplicitFlush(false);
            channel.flush();
        }
        if (!frames.isEmpty() && listed.compareAndSet(false, true)) outflow.offer(this);
    }

    private void writeText(ByteBuffer data) {
        int size = data.remaining();
        if (!channel.isOpen() || channel.isCloseFrameSent()) {
            queued.addAndGet(-size);
            return;
        }
        WebSockets.sendText(data, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel channel, Void context) {
                queued.addAndGet(-size);
            }

            @Override
            public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                queued.addAndGet(-size);
            }
        });
    }

    /** A close frame, queued behind the frames sent before it. */
    private record Close(int code, String reason) {
    }

    /**
     * The client reads slower than it is sent to. A close frame would wait behind the backlog,
     * so the channel is closed outright (the client sees 1006); the close task runs exit().
     */
    private void drop() {
        if (!dropped.compareAndSet(false, true)) return;
        metrics.slowClientDropped();
        LogContext.connection(LOG, Level.WARNING, id, "connection " + id + " is too slow: more than " + maxQueuedBytes
                + " bytes waiting to be sent; dropped");
        IoUtils.safeClose(channel);
    }

    /**
     * Why the connection ended, for {@code workjs_disconnects_total}: {@code slow_client},
     * {@code idle} (no answer to pings), {@code drain} (1012 from a drain), {@code server} (our
     * close frame went first), {@code client} (the client's did), or {@code lost} (the socket
     * ended without a close frame).
     */
    String endReason() {
        if (dropped.get()) return "slow_client";
        if (idleClosing) return "idle";
        if (closeCode == CloseCodes.SERVICE_RESTART) return "drain";
        if (closing) return "server";
        if (channel.isCloseFrameReceived()) return "client";
        return channel.isCloseFrameSent() ? "server" : "lost";
    }

    /** Bytes queued to Undertow and not yet written; for tests and diagnostics. */
    long queuedBytes() {
        return queued.get();
    }

    @Override
    public void close(int code, String reason) {
        if (!sending()) return;
        closeCode = code;
        closing = true;
        enqueue(new Close(code, clip(reason)));
    }

    @Override
    public int readyState() {
        if (!channel.isOpen()) return CLOSED;
        return closing || channel.isCloseFrameSent() || channel.isCloseFrameReceived() ? CLOSING : OPEN;
    }

    /** Called by the runtime inside {@code Inbound.message}, so on this channel's I/O thread. */
    @Override
    public void pauseReading() {
        readingPaused = true;
        channel.suspendReceives();
    }

    /** Called from the JS loop: Undertow's receive state belongs to the I/O thread, so the resume goes there. */
    @Override
    public void resumeReading() {
        channel.getIoThread().execute(() -> {
            heardNanos = System.nanoTime();   // we were the ones not listening
            readingPaused = false;
            if (channel.isOpen()) channel.resumeReceives();
        });
    }

    WebSocketChannel channel() {
        return channel;
    }

    /** A close reason may hold at most {@link CloseCodes#MAX_REASON_BYTES} bytes of UTF-8. */
    private static String clip(String reason) {
        if (reason == null) return "";
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CloseCodes.MAX_REASON_BYTES) return reason;
        String cut = new String(bytes, 0, CloseCodes.MAX_REASON_BYTES, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
