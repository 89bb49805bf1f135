package io.workjs.server.resume;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The messages sent to one resumable connection that its client has not acknowledged yet,
 * numbered from 1, at most {@code maxBytes} of them. The buffers are the very ones handed to
 * the socket (an event's bytes are shared by every member), never copies. An empty replay holds
 * no queue at all. Not thread-safe: its connection's lock guards it.
 */
final class Replay implements Iterable<ByteBuffer> {
    private final long maxBytes;
    private ArrayDeque<ByteBuffer> messages;
    /** The number of the oldest message kept (the next one's, when none is kept). */
    private long first = 1;
    private long bytes;

    Replay(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Keeps the next message; false, keeping nothing, when it would go past the bound. */
    boolean add(ByteBuffer message) {
        int size = message.remaining();
        if (bytes + size > maxBytes) return false;
        if (messages == null) messages = new ArrayDeque<>();
        messages.add(message);
        bytes += size;
        return true;
    }

    /** Forgets every message numbered up to {@code received}, which the client has. */
    void ackTo(long received) {
        while (messages != null && first <= received && !messages.isEmpty()) {
            bytes -= messages.removeFirst().remaining();
            first++;
        }
        if (messages != null && messages.isEmpty()) {
            messages = null;   // an idle connection keeps no queue
            first = Math.max(first, received + 1);
        }
    }

    /** Forgets everything and numbers on from {@code next}: what was kept can no longer be replayed. */
    void drop(long next) {
        messages = null;
        bytes = 0;
        first = next;
    }

    /** The number the next message will get. */
    long next() {
        return first + (messages == null ? 0 : messages.size());
    }

    /** True when a client that has received {@code received} messages can be given all it lacks. */
    boolean canReplayAfter(long received) {
        return received >= first - 1 && received < next();
    }

    /** The messages numbered after {@code received}, oldest first (the client has those up to it). */
    java.util.List<ByteBuffer> after(long received) {
        java.util.List<ByteBuffer> out = new java.util.ArrayList<>();
        long n = first;
        for (ByteBuffer m : this) {
            if (n++ > received) out.add(m.duplicate());
        }
        return out;
    }

    /** Bytes kept; for tests and diagnostics. */
    long bytes() {
        return bytes;
    }

    @Override
    public Iterator<ByteBuffer> iterator() {
        return messages == null ? java.util.Collections.emptyIterator() : messages.iterator();
    }
}
