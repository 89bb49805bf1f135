package io.workjs.server.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a client's WebSocket frames (RFC 6455, section 5) from its bytes as they arrive, any
 * number of frames or any part of one at a time, and tells its {@link Listener} of each text
 * message, ping and close. It unmasks eight bytes a step and notes on the way whether a message
 * is all ASCII; only one that is not goes through a UTF-8 decoder that reports bad input (1007).
 * A message whose bytes all came in one read is unmasked into the I/O thread's scratch array
 * and copied once, into its String; one spread over reads keeps an array of its own, grown as
 * its bytes come (a declared length is no reason to allocate), never past {@code maxMessageBytes}.
 * An idle connection's reader holds no array at all.
 *
 * <p>Anything the protocol forbids fails the connection with the close code RFC 6455 gives it
 * ({@link Listener#fail}); after that, or after the client's close frame, nothing more is read.
 */
final class FrameReader {
    /** The events of a connection's frames; all on its I/O thread. */
    interface Listener {
        /** A whole text message; false when reading should stop for now (the runtime paused it). */
        boolean text(String text);

        /** A ping, to be answered with a pong carrying {@code payload}. */
        void ping(byte[] payload);

        /** The client's close frame: its code ({@link #NO_CODE} when it gave none) and reason. */
        void closeReceived(int code, String reason);

        /** The first frame of a binary message; its bytes are skipped. */
        void binary();

        /** The client broke the protocol: the connection fails with {@code code} and {@code reason}. */
        void fail(int code, String reason);
    }

    /** What a close frame without a status code stands for (RFC 6455, section 7.1.5); never sent. */
    static final int NO_CODE = 1005;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;

    private static final int CONTINUATION = 0;
    static final int TEXT = 1;
    private static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    /** The longest header a client sends: 2 bytes, an 8-byte length, a 4-byte mask. */
    private static final int MAX_HEADER = 14;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Where a message that came in one read is unmasked, per I/O thread (a read is never larger). */
    private static final int READ_BYTES = WsConnection.READ_BYTES;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[READ_BYTES]);
    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(StandardCharsets.UTF_8::newDecoder);

    private final long maxMessageBytes;
    private final String tooBigReason;
    private final Listener listener;

    /** A header that arrived in parts, so far; null otherwise. */
    private byte[] head;
    private int headLength;

    /** The frame being read: its opcode, whether it ends its message, the payload bytes still to come, its mask rotated to the next byte. */
    private int opcode;
    private boolean fin;
    private long left;
    private int mask;
    private boolean inFrame;

    /** A text message spread over frames or reads: its bytes so far and whether they are all ASCII. */
    private byte[] message;
    private int length;
    private long highBits;
    /** A text or binary message has begun and its last frame has not come. */
    private boolean continuing;
    /** The message in progress is binary: its bytes are skipped. */
    private boolean skipping;
    /** A control frame's payload so far. */
    private byte[] control;
    private int controlLength;
    /** The connection failed or the client closed: nothing more is read. */
    private boolean done;

    FrameReader(long maxMessageBytes, Listener listener) {
        this.maxMessageBytes = maxMessageBytes;
        this.listener = listener;
        // Undertow's own words, kept since clients of earlier releases may match them (docs/PROTOCOL.md).
        this.tooBigReason = "UT002040: Message exceeded max message size of " + maxMessageBytes;
    }

    /**
     * Reads what it can of {@code in}, from its position: returns when all of it is read, the
     * listener asked to stop (what is left stays in {@code in}), or the connection is done.
     */
    void read(ByteBuffer in) {
        while (!done) {
            if (!inFrame && (!in.hasRemaining() || !header(in))) return;
            if (left > 0 && !in.hasRemaining()) return;
            if (!payload(in)) return;   // an empty frame is acted on as soon as its header is read
        }
    }

    /** True once nothing more will be read: the connection failed, or the client's close frame came. */
    boolean done() {
        return done;
    }

    /** Reads a frame's header, whole from {@code in} when it is there, else gathered across reads. */
    private boolean header(ByteBuffer in) {
        int p = in.position();
        if (head == null && in.remaining() >= 2) {
            int n = headerLength(in.get(p + 1));
            if (in.remaining() >= n) {
                in.position(p + n);
                return begin(in, p);
            }
        }
        if (head == null) head = new byte[MAX_HEADER];
        while (in.hasRemaining()) {
            head[headLength++] = in.get();
            if (headLength >= 2 && headLength == headerLength(head[1])) {
                ByteBuffer whole = ByteBuffer.wrap(head, 0, headLength);
                head = null;
                headLength = 0;
                return begin(whole, 0);
            }
        }
        return false;
    }

    /** A client header's length, from its second byte: the mask is counted though it may be missing (then {@link #begin} fails). */
    private static int headerLength(byte second) {
        int len7 = second & 0x7F;
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
    }

    /** Takes the header at {@code p} of {@code b}: checks it, and sets up the frame. */
    private boolean begin(ByteBuffer b, int p) {
        int b0 = b.get(p) & 0xFF;
        int b1 = b.get(p + 1) & 0xFF;
        if ((b0 & 0x70) != 0) return fail(PROTOCOL_ERROR, "reserved bits set: no extension was agreed");
        if ((b1 & 0x80) == 0) return fail(PROTOCOL_ERROR, "client frames must be masked");
        int len7 = b1 & 0x7F;
        long len = len7 == 126 ? b.getShort(p + 2) & 0xFFFF : len7 == 127 ? b.getLong(p + 2) : len7;
        if (len < 0) return fail(PROTOCOL_ERROR, "frame length over 2^63");
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        mask = b.getInt(p + headerLength((byte) b1) - 4);
        left = len;
        switch (opcode) {
            case CLOSE, PING, PONG -> {
                if (!fin) return fail(PROTOCOL_ERROR, "control frames must not be fragmented");
                if (len > MAX_CONTROL_PAYLOAD) return fail(PROTOCOL_ERROR, "control frame over 125 bytes");
                control = new byte[(int) len];
                controlLength = 0;
            }
            case TEXT, BINARY -> {
                if (continuing) return fail(PROTOCOL_ERROR, "a new message began before the last one ended");
                continuing = !fin;
                skipping = opcode == BINARY;
                if (skipping) listener.binary();
                else if (len > maxMessageBytes) return fail(TOO_BIG, tooBigReason);
            }
            case CONTINUATION -> {
                if (!continuing) return fail(PROTOCOL_ERROR, "a continuation frame with no message to continue");
                continuing = !fin;
                if (!skipping && length + len > maxMessageBytes) return fail(TOO_BIG, tooBigReason);
            }
            default -> {
                return fail(PROTOCOL_ERROR, "unknown opcode " + opcode);
            }
        }
        inFrame = true;
        return true;
    }

    /** Reads what {@code in} holds of the frame's payload; at its end, acts on the frame. */
    private boolean payload(ByteBuffer in) {
        int n = (int) Math.min(left, in.remaining());
        int from = in.position();
        in.position(from + n);
        left -= n;
        boolean last = left == 0;
        if (opcode >= CLOSE) {
            unmask(in, from, control, controlLength, n);
            controlLength += n;
            if (last) controlFrame();
        } else if (skipping) {
            rotate(n);
        } else if (last && fin && message == null && opcode == TEXT && n <= READ_BYTES) {
            // the common case: a whole message in this read
            byte[] scratch = SCRATCH.get();
            long high = unmask(in, from, scratch, 0, n);
            inFrame = false;
            return deliver(scratch, n, high);
        } else {
            if (message == null) message = new byte[Math.max(256, n)];
            else if (length + n > message.length) message = Arrays.copyOf(message, (int) Math.min(maxMessageBytes, Math.max(message.length * 2L, length + n)));
            highBits |= unmask(in, from, message, length, n);
            length += n;
            if (last && fin) {
                byte[] bytes = message;
                int size = length;
                long high = highBits;
                message = null;
                length = 0;
                highBits = 0;
                inFrame = false;
                return deliver(bytes, size, high);
            }
        }
        if (last) inFrame = false;
        return !done;
    }

    private boolean deliver(byte[] bytes, int size, long high) {
        String text = (high & HIGH_BITS) == 0 ? new String(bytes, 0, size, StandardCharsets.ISO_8859_1) : utf8(bytes, 0, size);
        if (text == null) return fail(INVALID_DATA, "text frame is not valid UTF-8");
        return listener.text(text);
    }

    private void controlFrame() {
        byte[] payload = control;
        control = null;
        switch (opcode) {
            case PING -> listener.ping(payload);
            case PONG -> { }   // hearing anything is what counts (Heartbeat)
            default -> closeFrame(payload);
        }
    }

    private void closeFrame(byte[] payload) {
        if (payload.length == 1) {
            fail(PROTOCOL_ERROR, "close frame with a 1-byte payload");
            return;
        }
        int code = payload.length == 0 ? NO_CODE : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (payload.length > 0 && !validCloseCode(code)) {
            fail(PROTOCOL_ERROR, "invalid close code " + code);
            return;
        }
        String reason = payload.length <= 2 ? "" : utf8(payload, 2, payload.length - 2);
        if (reason == null) {
            fail(INVALID_DATA, "close reason is not valid UTF-8");
            return;
        }
        done = true;
        listener.closeReceived(code, reason);
    }

    /** The codes a close frame may carry (RFC 6455, section 7.4, and IANA's registry): 1004-1006 and 1015 are never sent. */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private boolean fail(int code, String reason) {
        done = true;
        message = null;
        control = null;
        head = null;
        listener.fail(code, reason);
        return false;
    }

    /**
     * Unmasks {@code n} bytes of {@code in} at {@code from} into {@code to} at {@code at}, eight
     * a step (the mask's phase is the same after every eight bytes), and moves the mask on.
     * Returns the OR of all bytes: its high bits say whether any byte is not ASCII.
     */
    private long unmask(ByteBuffer in, int from, byte[] to, int at, int n) {
        int m = mask;
        long wide = ((long) m << 32) | (m & 0xFFFFFFFFL);
        long seen = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long v = in.getLong(from + i) ^ wide;
            LONGS.set(to, at + i, v);
            seen |= v;
        }
        for (; i < n; i++) {
            byte v = (byte) (in.get(from + i) ^ (m >>> (24 - ((i & 3) << 3))));
            to[at + i] = v;
            seen |= v;
        }
        rotate(n);
        return seen;
    }

    /** After {@code n} bytes the mask starts at its {@code n mod 4}th byte. */
    private void rotate(int n) {
        mask = Integer.rotateLeft(mask, (n & 3) << 3);
    }

    /** The text of valid UTF-8 bytes, or null. */
    private static String utf8(byte[] bytes, int from, int size) {
        try {
            return UTF8.get().decode(ByteBuffer.wrap(bytes, from, size)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
