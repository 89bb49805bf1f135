package io.workjs.server.transport;

import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.LogContext;
import io.workjs.runtime.Metrics;
import io.workjs.runtime.Peer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One upgraded WebSocket connection: the runtime's {@link Peer} over the socket Undertow
 * upgraded, framed here (RFC 6455) on XNIO's conduits. Undertow's own WebSocket layer made
 * objects, listeners and a write for every frame (bench/RESULTS.md, "What limits"); this one
 * reads into its I/O thread's buffer and hands every frame of a read to {@link FrameReader},
 * and writes all frames waiting, of any number of calls and events, in one write.
 *
 * <p>Frames sent from any thread reach the socket through its I/O thread's {@link Outflow}, in
 * order, close frame included. It counts the bytes sent and not yet written; a client that lets
 * more than {@code maxQueuedBytes} pile up is dropped at once, so nobody waits for it and it
 * costs bounded memory. Reading pauses when the runtime asks, and TCP then pushes back on a
 * client that sends faster than the runtime takes its frames; frames already read when it
 * paused wait here and go first when it resumes. An idle connection holds no buffer.
 */
final class WsConnection implements Peer, FrameReader.Listener {
    private static final Logger LOG = Logger.getLogger("workjs.ws");
    /** Bytes read at a time, into a direct buffer of the I/O thread's. */
    static final int READ_BYTES = 64 * 1024;
    /** Frames are gathered into a direct buffer of the I/O thread's this large; a larger frame goes out on its own. */
    private static final int WRITE_BYTES = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> READ = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ_BYTES));
    private static final ThreadLocal<ByteBuffer> WRITE = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(WRITE_BYTES));
    /** At most this many frames in one write; the rest go in the outflow's next task. */
    private static final int FRAMES_PER_WRITE = 256;
    /** At most this many full reads per readiness event, so one client cannot hold the thread. */
    private static final int READS_PER_EVENT = 4;
    /** The longest header this server writes: 2 bytes and an 8-byte length. */
    private static final int MAX_HEADER = 10;
    private static final byte[] EMPTY = new byte[0];

    private final String id;
    private final StreamConnection socket;
    private final ConduitStreamSourceChannel in;
    private final ConduitStreamSinkChannel out;
    private final FrameReader reader;
    private final long maxQueuedBytes;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean dropped = new AtomicBoolean();
    /** Frames sent and not yet written: text as ByteBuffer, and {@link Control} frames. */
    private final ConcurrentLinkedQueue<Object> frames = new ConcurrentLinkedQueue<>();
    /** True while this connection is listed in its I/O thread's outflow. */
    private final AtomicBoolean listed = new AtomicBoolean();
    private final Outflow outflow;
    private final Metrics metrics;

    // The I/O thread's only.
    /** Bytes the socket would not take yet; the write listener sends them when it can. */
    private ByteBuffer[] pending;
    /** Our close frame has been written (or is in {@link #pending}): nothing is written after it. */
    private boolean closeSent;
    /** The socket ends once what is written, our close frame last, has left. */
    private boolean endWhenWritten;
    /** Frames read before the runtime paused reading, not yet given to the reader. */
    private ByteBuffer carry;

    /** The close code of our close frame, once one is queued (0 until then). */
    private volatile int closeCode;
    /** Set once our close frame is queued: nothing is sent after it. */
    private volatile boolean closing;
    /** When our close frame was queued (System.nanoTime()); the heartbeat ends a socket whose client does not answer it. */
    volatile long closingNanos;
    private volatile boolean closeReceived;
    /** When the peer last sent anything, and when the unanswered ping went out (0: none); System.nanoTime(). */
    volatile long heardNanos = System.nanoTime();
    volatile long pingNanos;
    volatile long nextPingNanos;
    /** Set once the heartbeat has given up on the peer. */
    volatile boolean idleClosing;
    /** True while the runtime has paused reading: the peer's pongs are not read then, so the heartbeat waits. */
    volatile boolean paused;
    /** Where this socket's frames and its end go (the endpoint sets it before reading starts). */
    volatile WsEndpoint.Sink sink;

    WsConnection(String id, StreamConnection socket, long maxMessageBytes, long maxQueuedBytes, Outflow outflow, Metrics metrics) {
        this.id = id;
        this.socket = socket;
        this.in = socket.getSourceChannel();
        this.out = socket.getSinkChannel();
        this.reader = new FrameReader(maxMessageBytes, this);
        this.maxQueuedBytes = maxQueuedBytes;
        this.outflow = outflow;
        this.metrics = metrics;
    }

    /** Starts reading; on the I/O thread, once the sink is set. */
    void start() {
        in.getReadSetter().set(channel -> readable());
        out.getWriteSetter().set(channel -> writable());
        in.resumeReads();
    }

    @Override
    public String id() {
        return id;
    }

    // ---- reading, on the I/O thread

    private void readable() {
        heardNanos = System.nanoTime();   // any frame, a pong included, shows the peer is there
        ByteBuffer buffer = READ.get();
        try {
            for (int r = 0; r < READS_PER_EVENT && !paused && !reader.done(); r++) {
                buffer.clear();
                int n = in.read(buffer);
                if (n == -1) {
                    end();
                    return;
                }
                if (n == 0) return;
                buffer.flip();
                reader.read(buffer);
                if (buffer.hasRemaining() && !reader.done()) carry = ByteBuffer.wrap(bytes(buffer));   // paused: the rest waits
                if (n < buffer.capacity()) return;
            }
        } catch (IOException | RuntimeException e) {
            LogContext.connection(LOG, e instanceof IOException ? Level.FINE : Level.WARNING, id, "connection " + id + " failed: " + e);
            end();
        }
    }

    /** What is left of {@code buffer}, read into an array. */
    private static byte[] bytes(ByteBuffer buffer) {
        byte[] rest = new byte[buffer.remaining()];
        buffer.get(rest);
        return rest;
    }

    @Override
    public boolean text(String text) {
        if (closing) return true;   // after our close frame the client's data is not read (RFC 6455, section 1.4)
        metrics.frameReceived(text.length());
        sink.text(text);
        return !paused;
    }

    @Override
    public void ping(byte[] payload) {
        if (!closing) enqueue(new Control(FrameReader.PONG, payload, false));
    }

    @Override
    public void binary() {
        close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported: send JSON text");
    }

    /** The client's close: answered with its own code unless ours went first; the socket ends once both have. */
    @Override
    public void closeReceived(int code, String reason) {
        closeReceived = true;
        in.suspendReads();
        if (closeSent) end();
        else if (claimClose(0)) enqueue(new Control(FrameReader.CLOSE, code == FrameReader.NO_CODE ? EMPTY : closePayload(code, ""), true));
        // else our close frame is queued: once it is written, the socket ends (closeReceived is set)
    }

    /** The client broke the protocol: our close frame says why, and the socket ends once it is written. */
    @Override
    public void fail(int code, String reason) {
        in.suspendReads();
        LogContext.connection(LOG, Level.FINE, id, "connection " + id + " failed with " + code + ": " + reason);
        if (claimClose(code)) enqueue(new Control(FrameReader.CLOSE, closePayload(code, reason), true));
        else end();
    }

    /** Called by the runtime inside {@code Inbound.message}, so on this socket's I/O thread. */
    @Override
    public void pauseReading() {
        paused = true;
        in.suspendReads();
    }

    /** Called from the JS loop: reading belongs to the I/O thread, so the resume goes there. */
    @Override
    public void resumeReading() {
        socket.getIoThread().execute(this::resumed);
    }

    /** The frames read before the pause go first; then the socket is read again, unless they paused it anew. */
    private void resumed() {
        heardNanos = System.nanoTime();   // we were the ones not listening
        paused = false;
        ByteBuffer rest = carry;
        carry = null;
        try {
            if (rest != null) {
                reader.read(rest);
                if (rest.hasRemaining() && !reader.done()) carry = rest;
            }
        } catch (RuntimeException e) {
            LogContext.connection(LOG, Level.WARNING, id, "connection " + id + " failed: " + e);
            end();
            return;
        }
        if (!paused && !reader.done() && socket.isOpen()) in.resumeReads();
    }

    // ---- sending, from any thread

    @Override
    public void send(String text) {
        if (sending()) queue(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void send(ByteBuffer utf8) {
        if (sending()) queue(utf8.duplicate());
    }

    /** Frames go out until the socket closes or our close frame is queued (RFC 6455: nothing after it). */
    private boolean sending() {
        return !closing && socket.isOpen();
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

    /** A ping from the heartbeat, queued behind what was sent before it. */
    void ping() {
        if (sending()) enqueue(new Control(FrameReader.PING, EMPTY, false));
    }

    @Override
    public void close(int code, String reason) {
        close(code, reason, false);
    }

    /** As {@link #close(int, String)}, but the socket ends once the close frame is written, answered or not (the heartbeat's). */
    void closeAndEnd(int code, String reason) {
        close(code, reason, true);
    }

    private void close(int code, String reason, boolean end) {
        if (socket.isOpen() && claimClose(code)) enqueue(new Control(FrameReader.CLOSE, closePayload(code, reason), end));
    }

    /**
     * True for the first close of this socket, ours ({@code code}) or the echo of the client's
     * (0): nothing is sent after it. The lock covers this choice alone; whoever makes it acts
     * after, so that no lock of this socket's is held while its end is reported.
     */
    private synchronized boolean claimClose(int code) {
        if (closing) return false;
        closing = true;
        closeCode = code;
        closingNanos = System.nanoTime();
        return true;
    }

    /** A control frame: a ping, a pong, or a close after which the socket ends at once when {@code end}. */
    private record Control(int opcode, byte[] payload, boolean end) {
    }

    // ---- writing, on the I/O thread

    /** From the {@link Outflow}: every frame waiting, in the order sent, in as few writes as the socket takes. */
    void write() {
        listed.set(false);
        if (pending == null) writeFrames();   // else the write listener goes on when the socket takes more
    }

    private void writable() {
        try {
            if (!flushPending()) return;
            out.suspendWrites();
            writeFrames();
        } catch (IOException e) {
            failedWrite(e);
        }
    }

    private void writeFrames() {
        if (!socket.isOpen()) {
            discard();
            return;
        }
        ByteBuffer buffer = WRITE.get();
        buffer.clear();
        try {
            Object frame;
            for (int n = 0; n < FRAMES_PER_WRITE && (frame = frames.peek()) != null; n++) {
                ByteBuffer payload = frame instanceof ByteBuffer data ? data : ByteBuffer.wrap(((Control) frame).payload());
                int size = payload.remaining();
                if (buffer.remaining() < size + MAX_HEADER && buffer.position() > 0 && !flush(buffer)) return;   // the frame waits its turn
                frames.poll();
                int opcode = frame instanceof Control c ? c.opcode() : FrameReader.TEXT;
                if (frame instanceof ByteBuffer) queued.addAndGet(-size);
                if (closeSent) continue;   // nothing after our close frame
                if (opcode == FrameReader.CLOSE) {
                    closeSent = true;
                    endWhenWritten = ((Control) frame).end() || closeReceived;
                }
                if (size + MAX_HEADER <= buffer.remaining()) {
                    header(buffer, opcode, size);
                    buffer.put(payload);
                } else {
                    // larger than the buffer: its header and its bytes go out as they are
                    ByteBuffer head = ByteBuffer.allocate(MAX_HEADER);
                    header(head, opcode, size);
                    pending = new ByteBuffer[] {head.flip(), payload};
                    if (!flushPending()) return;
                }
            }
            if (buffer.position() > 0 && !flush(buffer)) return;
            if (!out.flush()) {
                out.resumeWrites();
                return;
            }
        } catch (IOException e) {
            failedWrite(e);
            return;
        }
        if (endWhenWritten) end();
        else if (!frames.isEmpty() && listed.compareAndSet(false, true)) outflow.offer(this);
    }

    /** A server frame's header: final, unmasked, the shortest length encoding. */
    private static void header(ByteBuffer buffer, int opcode, int size) {
        buffer.put((byte) (0x80 | opcode));
        if (size < 126) {
            buffer.put((byte) size);
        } else if (size < 65_536) {
            buffer.put((byte) 126);
            buffer.putShort((short) size);
        } else {
            buffer.put((byte) 127);
            buffer.putLong(size);
        }
    }

    /** Writes the buffer's bytes; what the socket does not take waits in {@link #pending}. Leaves the buffer empty. */
    private boolean flush(ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining() && out.write(buffer) > 0) {
            // the socket takes more
        }
        boolean all = !buffer.hasRemaining();
        if (!all) {
            pending = new ByteBuffer[] {ByteBuffer.wrap(bytes(buffer))};
            out.resumeWrites();
        }
        buffer.clear();
        return all;
    }

    private boolean flushPending() throws IOException {
        if (pending == null) return true;
        while (true) {
            long written = out.write(pending, 0, pending.length);
            if (!pending[pending.length - 1].hasRemaining()) {
                pending = null;
                return true;
            }
            if (written == 0) {
                out.resumeWrites();
                return false;
            }
        }
    }

    private void failedWrite(IOException e) {
        LogContext.connection(LOG, Level.FINE, id, "connection " + id + " failed to write: " + e);
        end();
    }

    /** The socket is gone: what waits to be written never will be. */
    private void discard() {
        pending = null;
        for (Object frame; (frame = frames.poll()) != null; ) if (frame instanceof ByteBuffer data) queued.addAndGet(-data.remaining());
    }

    // ---- the end

    /** Closes the socket; the endpoint's close listener reports it, once. */
    void end() {
        IoUtils.safeClose(socket);
    }

    /**
     * The client reads slower than it is sent to. A close frame would wait behind the backlog,
     * so the socket is closed outright (the client sees 1006).
     */
    private void drop() {
        if (!dropped.compareAndSet(false, true)) return;
        metrics.slowClientDropped();
        LogContext.connection(LOG, Level.WARNING, id, "connection " + id + " is too slow: more than " + maxQueuedBytes
                + " bytes waiting to be sent; dropped");
        end();
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
        if (closeCode != 0) return "server";
        return closeReceived ? "client" : "lost";
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public int readyState() {
        if (!socket.isOpen()) return CLOSED;
        return closing || closeReceived ? CLOSING : OPEN;
    }

    /** A close frame's payload: the code, then the reason clipped to {@link CloseCodes#MAX_REASON_BYTES} bytes of UTF-8. */
    private static byte[] closePayload(int code, String reason) {
        byte[] text = clip(reason).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    private static String clip(String reason) {
        if (reason == null) return "";
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CloseCodes.MAX_REASON_BYTES) return reason;
        String cut = new String(bytes, 0, CloseCodes.MAX_REASON_BYTES, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
