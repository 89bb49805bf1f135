package io.workjs.server.config;

import io.workjs.runtime.Bound;
import io.workjs.runtime.RuntimeLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bounds that keep one client from exhausting the server, each described once as a
 * {@link Bound} (CONF key, default, range, unit): the transport's and security's here, the
 * runtime's in {@link RuntimeLimits}. docs/CONFIGURATION.md lists them all; a test checks it.
 */
public final class Limits {
    /** Largest text frame a client may send; larger closes with 1009. */
    public static final Bound MAX_MESSAGE_BYTES = new Bound("maxMessageBytes", 1 << 20, 16, 64 << 20, "bytes");
    /** Bytes waiting to be sent to one client before it is dropped as too slow. */
    public static final Bound MAX_QUEUED_BYTES = new Bound("maxQueuedBytes", 1 << 20, 1024, 1 << 30, "bytes");
    /** How often the server pings a connection. */
    public static final Bound PING_INTERVAL = new Bound("pingIntervalSeconds", 25, 1, 3600, "seconds");
    /** How long a connection may stay silent after a ping before it is closed. */
    public static final Bound PING_TIMEOUT = new Bound("pingTimeoutSeconds", 20, 1, 3600, "seconds");
    /** Open WebSocket connections in total. */
    public static final Bound MAX_CONNECTIONS = new Bound("maxConnections", 10_000, 1, 1_000_000, "connections");
    /** How long a resumable connection whose socket dropped waits for its client to come back; 0 turns resumption off. */
    public static final Bound RESUME_WINDOW = new Bound("resumeWindowSeconds", 60, 0, 3600, "seconds");
    /** What one resumable connection keeps of what was sent to it and not yet acknowledged, for a replay. */
    public static final Bound RESUME_BUFFER = new Bound("resumeBufferBytes", 256 << 10, 4096, 64 << 20, "bytes");
    /** Open WebSocket connections from one client address. */
    public static final Bound MAX_CONNECTIONS_PER_ADDRESS = new Bound("maxConnectionsPerAddress", 1000, 1, 1_000_000, "connections");

    /** Cluster mode: events kept per group in Redis for a node or client that missed some (the stream's approximate MAXLEN). */
    public static final Bound REDIS_STREAM_LENGTH = new Bound("redisStreamLength", 10_000, 100, 10_000_000, "events");
    /** Cluster mode: events and membership changes a node keeps while Redis is unreachable; past it, events are dropped and counted. */
    public static final Bound REDIS_OUTBOX = new Bound("redisOutboxEvents", 10_000, 0, 10_000_000, "events");

    /** The server's own bounds, in the order docs/CONFIGURATION.md lists them. */
    private static final List<Bound> OWN = List.of(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, MAX_MESSAGE_BYTES,
            MAX_QUEUED_BYTES, PING_INTERVAL, PING_TIMEOUT, RESUME_WINDOW, RESUME_BUFFER, REDIS_STREAM_LENGTH, REDIS_OUTBOX);

    /** Every bound a CONF may set: the server's own, then the runtime's. */
    public static final List<Bound> ALL;

    static {
        List<Bound> all = new ArrayList<>(OWN);
        all.addAll(RuntimeLimits.ALL);
        ALL = List.copyOf(all);
    }

    /** Every bound at its default: generous for a person, small enough that no single client matters. */
    public static final Limits DEFAULTS = new Limits(OWN.stream().mapToInt(Bound::defaultValue).toArray(), RuntimeLimits.DEFAULTS);

    private final int[] own;
    private final RuntimeLimits runtime;

    private Limits(int[] own, RuntimeLimits runtime) {
        this.own = own;
        this.runtime = runtime;
    }

    /** A copy with {@code bound} (any of {@link #ALL}) set to {@code value}; throws when it is out of range. */
    public Limits with(Bound bound, int value) {
        int i = OWN.indexOf(bound);
        if (i < 0) return new Limits(own, runtime.with(bound, value));
        int[] copy = own.clone();
        copy[i] = bound.check(value);
        return new Limits(copy, runtime);
    }

    /** The value of any bound of {@link #ALL}. */
    public int get(Bound bound) {
        int i = OWN.indexOf(bound);
        return i < 0 ? runtime.get(bound) : own[i];
    }

    /** The bounds the JS runtime enforces, as it takes them. */
    public RuntimeLimits runtime() {
        return runtime;
    }

    public int maxMessageBytes() {
        return get(MAX_MESSAGE_BYTES);
    }

    public int maxQueuedBytes() {
        return get(MAX_QUEUED_BYTES);
    }

    public int pingIntervalSeconds() {
        return get(PING_INTERVAL);
    }

    public int pingTimeoutSeconds() {
        return get(PING_TIMEOUT);
    }

    public int maxConnections() {
        return get(MAX_CONNECTIONS);
    }

    public int maxConnectionsPerAddress() {
        return get(MAX_CONNECTIONS_PER_ADDRESS);
    }

    public int resumeWindowSeconds() {
        return get(RESUME_WINDOW);
    }

    public int resumeBufferBytes() {
        return get(RESUME_BUFFER);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limits other && Arrays.equals(own, other.own) && runtime.equals(other.runtime);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(own) + runtime.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Limits{");
        for (Bound b : ALL) s.append(s.length() == 7 ? "" : ", ").append(b.key()).append('=').append(get(b));
        return s.append('}').toString();
    }
}
