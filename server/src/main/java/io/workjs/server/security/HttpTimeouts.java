package io.workjs.server.security;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;

/**
 * Bounds on slow HTTP clients, which Undertow leaves unbounded by default: without them a
 * client can hold a connection (and its buffers) forever by sending a request a byte at a time,
 * or nothing at all. WebSocket connections, once upgraded, are bounded by pings instead.
 */
public final class HttpTimeouts {
    /** Longest time from a request's first byte to its last header, in milliseconds. */
    public static final int REQUEST_PARSE_MILLIS = 10_000;
    /** Longest time an HTTP connection may stay open with no request in progress, in milliseconds. */
    public static final int NO_REQUEST_MILLIS = 60_000;

    private HttpTimeouts() {
    }

    /** Sets both timeouts on a server being built. */
    public static Undertow.Builder apply(Undertow.Builder builder) {
        return builder
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_PARSE_MILLIS)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, NO_REQUEST_MILLIS);
    }
}
