package io.workjs.server.resume;

import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.Inbound;
import io.workjs.runtime.Peer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Resumable connections of one server: the first frame of a socket that asked for resumption
 * ({@code _hello}) either resumes the connection its token names or starts a new one. Holds
 * the token registry, the windows' timers and the bounds (CONF {@code resumeWindowSeconds},
 * {@code resumeBufferBytes}). docs/PROTOCOL.md describes the wire side.
 */
public final class Resumption implements AutoCloseable {
    /** The WebSocket subprotocol a client offers to ask for resumption. */
    public static final String PROTOCOL = "workjs.resume.1";
    private static final Logger LOG = Logger.getLogger("workjs.resume");

    private final int windowSeconds;
    private final long bufferBytes;
    private final long heartbeatMillis;
    private final ResumeTokens tokens = new ResumeTokens();
    private final ResumeRegistry registry;
    private final Set<ResumableConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger detached = new AtomicInteger();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-resume"));

    /**
     * @param windowSeconds   how long a detached connection waits for its client (0: no resumption)
     * @param bufferBytes     how much one connection keeps for a replay
     * @param heartbeatMillis the longest a live server stays silent on a resumable connection
     *                        (ping interval plus ping timeout): the client's limit before it gives a socket up
     * @param maxRetired      how many retired tokens are remembered, to tell a client why
     */
    public Resumption(int windowSeconds, long bufferBytes, long heartbeatMillis, int maxRetired) {
        this.windowSeconds = windowSeconds;
        this.bufferBytes = bufferBytes;
        this.heartbeatMillis = heartbeatMillis;
        LocalResumeRegistry local = new LocalResumeRegistry(tokens, Math.max(windowSeconds, 1), maxRetired);
        this.registry = local;
        long sweep = Math.clamp(windowSeconds, 1, 60);
        timers.scheduleWithFixedDelay(local::sweep, sweep, sweep, TimeUnit.SECONDS);
    }

    /** True when connections may resume at all (a window of 0 turns resumption off). */
    public boolean enabled() {
        return windowSeconds > 0;
    }

    /**
     * The first frame of a socket that asked for resumption. Resumes the connection the hello's
     * token names on {@code socket}; otherwise starts a new one (telling the client why, when it
     * had a token) and opens it through {@code opener}, which gives the runtime's side. Returns
     * the connection the socket now belongs to, or null when the frame is no hello.
     */
    public ResumableConnection hello(Peer socket, String frame, String sessionId, String newId,
            Function<ResumableConnection, Inbound> opener, Runnable release) {
        Control.Hello hello = Control.hello(frame);
        if (hello == null) return null;
        String refused = null;
        if (hello.token() != null) {
            switch (registry.find(hello.token())) {
                case ResumeRegistry.Live live -> {
                    refused = live.connection().resume(socket, hello.received(), sessionId);
                    if (refused == null) {
                        release.run();   // the resumed connection holds its place already
                        return live.connection();
                    }
                }
                case ResumeRegistry.Refusal refusal -> refused = refusal.reason();
            }
            String reason = refused;   // never the token itself: it is a secret
            LOG.fine(() -> "a resume was refused: " + reason);
        }
        ResumableConnection connection = new ResumableConnection(newId, sessionId, this, bufferBytes);
        live.add(connection);
        connection.start(socket, refused);
        connection.opened(opener.apply(connection), () -> {
            live.remove(connection);
            release.run();
        });
        return connection;
    }

    /** Connections that have not ended, detached ones included; for tests and diagnostics. */
    public int live() {
        return live.size();
    }

    /** Connections waiting for their clients to come back. */
    public int detached() {
        return detached.get();
    }

    /** A connection lost its socket ({@code +1}) or got one back or ended while detached ({@code -1}). */
    void detachedBy(int change) {
        detached.addAndGet(change);
    }

    /** Ends every connection, as the server stops. */
    public void stopAll() {
        for (ResumableConnection c : live) c.stop();
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    String newToken(ResumableConnection connection) {
        String token = tokens.next();
        registry.register(token, connection);
        return token;
    }

    void retire(String token, String reason) {
        registry.retire(token, reason);
    }

    ScheduledFuture<?> expireLater(ResumableConnection connection) {
        return timers.schedule(connection::expire, windowSeconds, TimeUnit.SECONDS);
    }

    long heartbeatMillis() {
        return heartbeatMillis;
    }
}
