package io.workjs.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * The bounds the runtime enforces on every connection, each described once as a {@link Bound}.
 * The server fills them from CONF ({@code Limits}); tests and embedders use {@link #with}.
 */
public final class RuntimeLimits {
    /** Deepest nesting of arrays and objects in a frame; deeper is refused with {@code TOO_DEEP}. */
    public static final Bound MAX_JSON_DEPTH = new Bound("maxJsonDepth", 32, 1, 1000, "levels");
    /** Longest function name a call may carry; longer is {@code BAD_FRAME}. */
    public static final Bound MAX_NAME_LENGTH = new Bound("maxNameLength", 128, 1, 1024, "characters");
    /** Frames a connection may send per second on average (token bucket rate). */
    public static final Bound CALLS_PER_SECOND = new Bound("callsPerSecond", 100, 1, 1_000_000, "frames per second");
    /** Frames a connection may send at once (token bucket size); more refused within a second closes it with 1008. */
    public static final Bound CALL_BURST = new Bound("callBurst", 200, 1, 1_000_000, "frames");
    /** How long one task (a call, init, exit, a timer) may run on the loop. */
    public static final Bound CALL_TIMEOUT = new Bound("callTimeoutMs", 2000, 10, 600_000, "ms");
    /** Frames of one connection waiting for the loop before the server stops reading its socket. */
    public static final Bound MAX_PENDING_FRAMES = new Bound("maxPendingFrames", 64, 1, 100_000, "frames");
    /** Frames of all connections together waiting for the loop before the server stops reading the sockets that send more. */
    public static final Bound MAX_PENDING_FRAMES_TOTAL = new Bound("maxPendingFramesTotal", 10_000, 1, 10_000_000, "frames");
    /** Text of all waiting frames together, likewise; counted in characters, which is bytes for ASCII JSON. */
    public static final Bound MAX_PENDING_BYTES = new Bound("maxPendingBytes", 16 << 20, 1 << 16, 1 << 30, "bytes");

    /** Connections in the database pool, and threads running the Promise-style queries (WorkJS's key). */
    public static final Bound DB_POOL_SIZE = new Bound("db_poolsize", 10, 1, 1000, "connections");
    /** How long one statement may run before it is cancelled at the database. */
    public static final Bound DB_QUERY_TIMEOUT = new Bound("dbQueryTimeoutMs", 10_000, 10, 3_600_000, "ms");
    /** Rows one query may return; more fail the query with {@code DB_TOO_MANY_ROWS}. */
    public static final Bound DB_MAX_ROWS = new Bound("dbMaxRows", 10_000, 1, 10_000_000, "rows");
    /** Promise-style queries waiting for a pool thread; past it a query fails at once with {@code DB_BUSY}. */
    public static final Bound DB_QUEUE = new Bound("dbQueueLength", 1000, 0, 1_000_000, "queries");
    /** How long a transaction may stay open; then it is rolled back and its connection given back. */
    public static final Bound DB_TRANSACTION_TIMEOUT = new Bound("dbTransactionTimeoutMs", 30_000, 10, 3_600_000, "ms");

    /** Every runtime bound, in the order docs/CONFIGURATION.md lists them. */
    public static final List<Bound> ALL = List.of(MAX_JSON_DEPTH, MAX_NAME_LENGTH, CALLS_PER_SECOND, CALL_BURST, CALL_TIMEOUT,
            MAX_PENDING_FRAMES, MAX_PENDING_FRAMES_TOTAL, MAX_PENDING_BYTES,
            DB_POOL_SIZE, DB_QUERY_TIMEOUT, DB_MAX_ROWS, DB_QUEUE, DB_TRANSACTION_TIMEOUT);

    /** Every bound at its default. */
    public static final RuntimeLimits DEFAULTS = new RuntimeLimits(ALL.stream().mapToInt(Bound::defaultValue).toArray());

    private final int[] values;

    private RuntimeLimits(int[] values) {
        this.values = values;
    }

    /** The value of {@code bound}, which must be one of {@link #ALL}. */
    public int get(Bound bound) {
        return values[index(bound)];
    }

    /** A copy with {@code bound} set to {@code value}; throws when the value is out of the bound's range. */
    public RuntimeLimits with(Bound bound, int value) {
        int[] copy = values.clone();
        copy[index(bound)] = bound.check(value);
        return new RuntimeLimits(copy);
    }

    public int maxJsonDepth() {
        return get(MAX_JSON_DEPTH);
    }

    public int maxNameLength() {
        return get(MAX_NAME_LENGTH);
    }

    public int callsPerSecond() {
        return get(CALLS_PER_SECOND);
    }

    public int callBurst() {
        return get(CALL_BURST);
    }

    public int callTimeoutMillis() {
        return get(CALL_TIMEOUT);
    }

    public int maxPendingFrames() {
        return get(MAX_PENDING_FRAMES);
    }

    public int maxPendingFramesTotal() {
        return get(MAX_PENDING_FRAMES_TOTAL);
    }

    public int maxPendingBytes() {
        return get(MAX_PENDING_BYTES);
    }

    private static int index(Bound bound) {
        int i = ALL.indexOf(bound);
        if (i < 0) throw new IllegalArgumentException(bound.key() + " is not a runtime limit");
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuntimeLimits other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("RuntimeLimits{");
        for (int i = 0; i < ALL.size(); i++) s.append(i == 0 ? "" : ", ").append(ALL.get(i).key()).append('=').append(values[i]);
        return s.append('}').toString();
    }
}
