package io.workjs.runtime;

/**
 * The bounds the runtime enforces on every connection; the server fills them from its CONF.
 *
 * @param maxJsonDepth      deepest nesting of arrays and objects in a frame; deeper is refused with {@code TOO_DEEP}
 * @param maxNameLength     longest function name a call may carry, in characters; longer is {@code BAD_FRAME}
 * @param callsPerSecond    frames a connection may send per second on average (token bucket rate)
 * @param callBurst         frames a connection may send at once (token bucket size); more than this many
 *                          refused within one second closes the connection with 1008
 * @param callTimeoutMillis how long one task (a call, init, exit, a timer) may run on the loop, in ms
 */
public record RuntimeLimits(int maxJsonDepth, int maxNameLength, int callsPerSecond, int callBurst, int callTimeoutMillis) {

    /** The same defaults as the server's CONF. */
    public static final RuntimeLimits DEFAULTS = new RuntimeLimits(32, 128, 100, 200, 2000);

    public RuntimeLimits {
        if (maxJsonDepth < 1 || maxNameLength < 1 || callsPerSecond < 1 || callBurst < 1 || callTimeoutMillis < 1) {
            throw new IllegalArgumentException("every runtime limit must be positive: " + this);
        }
    }
}
