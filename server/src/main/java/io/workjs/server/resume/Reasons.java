package io.workjs.server.resume;

/** Why a resume was refused, as the client is told in {@code _welcome} (docs/PROTOCOL.md lists them). */
public final class Reasons {
    /** The connection was detached longer than {@code resumeWindowSeconds} and has ended. */
    public static final String WINDOW_OVER = "WINDOW_OVER";
    /** More was sent to the connection than {@code resumeBufferBytes} holds while the client had not acknowledged it. */
    public static final String BUFFER_OVERFLOW = "BUFFER_OVERFLOW";
    /** The token is of an earlier run of the server: everything of that run is gone. */
    public static final String SERVER_RESTARTED = "SERVER_RESTARTED";
    /** The token was never issued here, or is long forgotten. */
    public static final String UNKNOWN_TOKEN = "UNKNOWN_TOKEN";
    /** The token was replaced by a newer one, which the client acknowledged: each token is good once. */
    public static final String TOKEN_USED = "TOKEN_USED";
    /** The connection belongs to another session than the one whose cookie this request carries. */
    public static final String SESSION_MISMATCH = "SESSION_MISMATCH";
    /** The connection ended for good: the client or the controller closed it, or init() denied it. */
    public static final String CLOSED = "CLOSED";
    /** The connection moved to another node of the cluster, where its client resumed it. */
    public static final String MOVED = "MOVED";
    /** The node that had the connection could not be asked (Redis is unreachable, or it did not answer in time). */
    public static final String CLUSTER_UNAVAILABLE = "CLUSTER_UNAVAILABLE";
    /** The node that had the connection died: group events are recovered, what only that node had may be lost. */
    public static final String NODE_LOST = "NODE_LOST";
    /** The connection ended because the server stopped. */
    public static final String SERVER_STOPPING = "SERVER_STOPPING";

    private Reasons() {
    }
}
