package io.workjs.server.config;

/**
 * The bounds that keep one client from exhausting the server. Each has a CONF key of the same
 * name; docs/CONFIGURATION.md lists them with their defaults and ranges.
 *
 * @param maxMessageBytes          largest text frame a client may send, in bytes; larger closes with 1009
 * @param maxJsonDepth             deepest nesting of arrays and objects in a frame
 * @param maxNameLength            longest function name a call may carry, in characters
 * @param callsPerSecond           calls a connection may make per second, on average (token bucket rate)
 * @param callBurst                calls a connection may make at once (token bucket size)
 * @param maxQueuedBytes           bytes waiting to be sent to one client before it is closed as too slow
 * @param callTimeoutMillis        how long one controller call may run on the JS loop before it is interrupted, in ms
 * @param pingIntervalSeconds      how often the server pings a connection, in seconds
 * @param pingTimeoutSeconds       how long a connection may stay silent after a ping before it is closed, in seconds
 * @param maxConnections           open WebSocket connections in total
 * @param maxConnectionsPerAddress open WebSocket connections from one client address
 */
public record Limits(
        int maxMessageBytes,
        int maxJsonDepth,
        int maxNameLength,
        int callsPerSecond,
        int callBurst,
        int maxQueuedBytes,
        int callTimeoutMillis,
        int pingIntervalSeconds,
        int pingTimeoutSeconds,
        int maxConnections,
        int maxConnectionsPerAddress) {

    /** The defaults: generous for a person, small enough that no single client matters. */
    public static final Limits DEFAULTS = new Limits(
            1 << 20, 32, 128, 100, 200, 1 << 20, 2000, 25, 20, 10_000, 1000);
}
