package io.workjs.runtime;

/**
 * The WebSocket close codes this server sends (RFC 6455, section 7.4.1), named once; the
 * reasons that go with them are listed in docs/PROTOCOL.md. runtime.js gets the same values
 * from here.
 */
public final class CloseCodes {
    /** The controller closed the connection without a code of its own. */
    public static final int NORMAL = 1000;
    /** The server is stopping, or the peer did not answer a ping. */
    public static final int GOING_AWAY = 1001;
    /** The client broke the protocol: a resumable connection whose first frame is no {@code _hello}. */
    public static final int PROTOCOL_ERROR = 1002;
    /** The client sent a binary frame. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Denied by init(), a controller without init(), or a client that would not slow down. */
    public static final int POLICY_VIOLATION = 1008;
    /** init() failed, timed out or returned a bad group key. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is restarting (a drain): reconnect soon, with jitter, to reach another node. */
    public static final int SERVICE_RESTART = 1012;
    /** Lowest code an application may send, with {@link #APPLICATION_MAX}: {@code this.ws.close(code)}. */
    public static final int APPLICATION_MIN = 3000;
    public static final int APPLICATION_MAX = 4999;
    /** Longest close reason, in UTF-8 bytes: a control frame holds 125, two of them the code. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }
}
