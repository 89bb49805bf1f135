package io.workjs.bench.raw;

import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.XnioIoThread;

/**
 * The events waiting for one connection of the raw peer, written by the connection's own I/O
 * thread in one flush. An emit hands every member the same encoded bytes; each member's
 * sink is listed once per burst with its thread's {@link Flusher}, so a burst costs one task
 * per I/O thread and one gathering write per member, not one task and one write per frame
 * (which is what {@code WebSockets.sendText} from another thread costs).
 */
final class RawSink {
    private final WebSocketChannel channel;
    private final Flusher flusher;
    private final ConcurrentLinkedQueue<ByteBuffer> frames = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean listed = new AtomicBoolean();

    RawSink(WebSocketChannel channel, Flusher flusher) {
        this.channel = channel;
        this.flusher = flusher;
    }

    WebSocketChannel channel() {
        return channel;
    }

    /** Queues a duplicate of {@code utf8} (shared, never changed) for this connection. */
    void offer(ByteBuffer utf8) {
        if (!channel.isOpen() || channel.isCloseFrameSent()) {
            return;
        }
        frames.add(utf8.duplicate());
        if (listed.compareAndSet(false, true)) {
            flusher.offer(this);
        }
    }

    /**
     * A frame of this connection's own (a reply), on its I/O thread: written at once when
     * nothing waits, else behind what does, so the client gets its frames in the order made.
     */
    void send(String text) {
        if (frames.isEmpty() && !listed.get()) {
            WebSockets.sendText(text, channel, null);
        } else {
            offer(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** On the I/O thread: every waiting frame, then one flush. */
    private void write() {
        listed.set(false);
        channel.setRequireExplicitFlush(true);
        try {
            ByteBuffer frame;
            while ((frame = frames.poll()) != null) {
                if (channel.isOpen() && !channel.isCloseFrameSent()) {
                    WebSockets.sendText(frame, channel, null);
                }
            }
        } finally {
            channel.setRequireExplicitFlush(false);
            channel.flush();
        }
    }

    /** The sinks of one I/O thread that have frames waiting: one task per burst writes them all. */
    static final class Flusher implements Runnable {
        private final XnioIoThread thread;
        private final ConcurrentLinkedQueue<RawSink> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean queued = new AtomicBoolean();

        private Flusher(XnioIoThread thread) {
            this.thread = thread;
        }

        void offer(RawSink sink) {
            waiting.add(sink);
            if (queued.compareAndSet(false, true)) {
                thread.execute(this);
            }
        }

        @Override
        public void run() {
            queued.set(false);
            RawSink sink;
            while ((sink = waiting.poll()) != null) {
                sink.write();
            }
        }

        /** One flusher per I/O thread. */
        static final class PerThread {
            private final ConcurrentHashMap<XnioIoThread, Flusher> flushers = new ConcurrentHashMap<>();

            Flusher of(XnioIoThread thread) {
                return flushers.computeIfAbsent(thread, Flusher::new);
            }
        }
    }
}
