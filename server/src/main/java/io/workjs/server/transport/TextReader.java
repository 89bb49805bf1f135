package io.workjs.server.transport;

import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketMessages;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads one text message, all its fragments, into a String with one decoding pass. Undertow's
 * own {@code BufferedTextMessage} decodes a byte at a time into a {@code StringBuilder} and takes
 * a pooled direct buffer per message; in a WorkJS call those cost more than the JavaScript's
 * JSON does (bench/RESULTS.md, section 11). The frame channel has unmasked the bytes and checked
 * them as UTF-8 already (a bad sequence fails the read: close 1007), so the JDK's decoder makes
 * the String exactly. Reads go through one heap buffer per I/O thread; only a message that
 * arrives over several reads keeps bytes of its own in between. Over {@code maxBytes} it closes
 * with 1009 and Undertow's own reason, as Undertow does.
 */
final class TextReader {
    /** Scratch space for one read, per I/O thread: a message is copied out of it before the thread moves on. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(16 * 1024));

    private final long maxBytes;
    private final Consumer<String> onText;
    private final Consumer<IOException> onError;
    /** Bytes of the message so far when it did not arrive in one go; null otherwise. */
    private byte[] pending;
    private int pendingLength;
    private long size;
    private boolean done;

    private TextReader(long maxBytes, Consumer<String> onText, Consumer<IOException> onError) {
        this.maxBytes = maxBytes;
        this.onText = onText;
        this.onError = onError;
    }

    /** Reads the text message of {@code frame}; {@code onText} gets it, or {@code onError} why not. On the I/O thread. */
    static void read(StreamSourceFrameChannel frame, long maxBytes, Consumer<String> onText, Consumer<IOException> onError) {
        new TextReader(maxBytes, onText, onError).readAvailable(frame);
    }

    private void readAvailable(StreamSourceFrameChannel frame) {
        if (done) {
            return;
        }
        ByteBuffer scratch = SCRATCH.get();
        scratch.clear();
        try {
            while (true) {
                if (!scratch.hasRemaining()) {
                    keep(scratch);
                }
                int n = frame.read(scratch);
                if (n > 0) {
                    size += n;
                    if (maxBytes > 0 && size > maxBytes) {
                        tooBig(frame.getWebSocketChannel());
                    }
                } else if (n == -1) {
                    done = true;
                    String text;
                    if (pending == null) {
                        // Most messages: all of it in the thread's buffer, decoded from there.
                        text = new String(scratch.array(), 0, scratch.position(), StandardCharsets.UTF_8);
                    } else {
                        keep(scratch);
                        text = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
                        pending = null;
                    }
                    onText.accept(text);
                    return;
                } else {
                    // Nothing more for now: the thread's buffer serves other connections meanwhile,
                    // so what arrived is kept here, and reading goes on when the rest comes.
                    keep(scratch);
                    frame.getReadSetter().set(this::readAvailable);
                    frame.resumeReads();
                    return;
                }
            }
        } catch (IOException e) {
            done = true;
            frame.suspendReads();
            onError.accept(e);
        }
    }

    /** Moves what the scratch buffer holds into the message's own bytes, and empties it. */
    private void keep(ByteBuffer scratch) {
        int n = scratch.position();
        if (n > 0) {
            if (pending == null) {
                pending = new byte[Math.max(n * 2, 256)];
            } else if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
            }
            System.arraycopy(scratch.array(), 0, pending, pendingLength, n);
            pendingLength += n;
        }
        scratch.clear();
    }

    private void tooBig(WebSocketChannel channel) throws IOException {
        String reason = WebSocketMessages.MESSAGES.messageToBig(maxBytes);
        WebSockets.sendClose(new CloseMessage(CloseMessage.MSG_TOO_BIG, reason), channel, null);
        throw new IOException(reason);
    }
}
