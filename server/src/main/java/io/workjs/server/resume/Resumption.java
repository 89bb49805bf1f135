package io.workjs.server.resume;

import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.Inbound;
import io.workjs.runtime.Metrics;
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
    private volatile Elsewhere elsewhere;
    private final Metrics metrics;

    /**
     * @param windowSeconds   how long a detached connection waits for its client (0: no resumption)
     * @param bufferBytes     how much one connection keeps for a replay
     * @param heartbeatMillis the longest a live server stays silent on a resumable connection
     *                        (ping interval plus ping timeout): the client's limit before it gives a socket up
     * @param maxRetired      how many retired tokens are remembered, to tell a client why
     * @param metrics         hears each resume's outcome
     */
    public Resumption(int windowSeconds, long bufferBytes, long heartbeatMillis, int maxRetired, Metrics metrics) {
        this.metrics = metrics;
        this.windowSeconds = windowSeconds;
        this.bufferBytes = bufferBytes;
        this.heartbeatMillis = heartbeatMillis;
        LocalResumeRegistry local = new LocalResumeRegistry(tokens, Math.max(windowSeconds, 1), maxRetired);
        this.registry = local;
        long sweep = Math.clamp(windowSeconds, 1, 60);
        timers.scheduleWithFixedDelay(local::sweep, sweep, sweep, TimeUnit.SECONDS);
    }

    /** On a cluster: the other nodes, where a token that is not this node's leads. */
    public void elsewhere(Elsewhere others) {
        this.elsewhere = others;
    }

    /** True on a cluster: group events carry their positions, which a client tells when it resumes elsewhere. */
    boolean positions() {
        return elsewhere != null;
    }

    /** What the transport does with a socket once its hello has said which connection it is. */
    public interface Opening {
        /** A new connection: init() will run. */
        Inbound open(ResumableConnection connection);

        /** A connection that moved here: restored from {@code state}, joining {@code groupId} with the events after {@code after}. */
        Inbound restore(ResumableConnection connection, String groupId, String state, String session, String after);

        /** The socket belongs to {@code connection} from now on (called once, on any thread). */
        void settled(ResumableConnection connection);
    }

    /** True when connections may resume at all (a window of 0 turns resumption off). */
    public boolean enabled() {
        return windowSeconds > 0;
    }

    /**
     * The first frame of a socket that asked for resumption. Resumes the connection the hello's
     * token names on {@code socket}: this node's at once; on a cluster, another node's once that
     * node has handed it over (or, dead, left its last state), which {@code opening} hears of
     * later, on another thread. Otherwise starts a new one (telling the client why, when it had
     * a token). {@code opening} learns which connection the socket belongs to. Returns false
     * when the frame is no hello.
     */
    public boolean hello(Peer socket, String frame, String sessionId, String newId, Opening opening, Runnable release) {
        Control.Hello hello = Control.hello(frame);
        if (hello == null) return false;
        String refused = null;
        if (hello.token() != null) {
            switch (registry.find(hello.token())) {
                case ResumeRegistry.Live live -> {
                    refused = live.connection().resume(socket, hello.received(), sessionId);
                    if (refused == null) {
                        metrics.resume("resumed");
                        release.run();   // the resumed connection holds its place already
                        opening.settled(live.connection());
                        return true;
                    }
                }
                case ResumeRegistry.Refusal refusal -> refused = refusal.reason();
            }
            Elsewhere others = elsewhere;
            if (others != null && Reasons.SERVER_RESTARTED.equals(refused)) {
                // Not this node's token: another node's, maybe. Its claim completes on a Redis
                // thread; the client sends nothing before its welcome.
                others.claim(hello.token(), sessionId, hello.received()).whenComplete((arrival, error) -> {
                    Elsewhere.Arrival a = error != null ? Elsewhere.Arrival.refusal(Reasons.CLUSTER_UNAVAILABLE) : arrival;
                    if (a.reason() == null) arrived(socket, a, hello.event(), opening, release);
                    else begin(socket, sessionId, newId, a.reason(), opening, release);
                });
                return true;
            }
            String reason = refused;   // never the token itself: it is a secret
            LOG.fine(() -> "a resume was refused: " + reason);
        }
        begin(socket, sessionId, newId, refused, opening, release);
        return true;
    }

    /** A new connection on {@code socket}; {@code refused} says why a resume was not possible, or is null. */
    private void begin(Peer socket, String sessionId, String newId, String refused, Opening opening, Runnable release) {
        if (refused != null) metrics.resume(refused.toLowerCase(java.util.Locale.ROOT));
        ResumableConnection connection = new ResumableConnection(newId, sessionId, this, bufferBytes);
        live.add(connection);
        connection.start(socket, refused);
        connection.opened(opening.open(connection), () -> {
            live.remove(connection);
            release.run();
        });
        opening.settled(connection);
    }

    /** A connection that moved here from another node, on {@code socket}, under its own id. */
    private void arrived(Peer socket, Elsewhere.Arrival a, String clientEvent, Opening opening, Runnable release) {
        metrics.resume(a.nodeLost() ? "node_lost" : "moved");
        ResumableConnection connection = new ResumableConnection(a.connectionId(), a.session(), this, bufferBytes);
        live.add(connection);
        connection.arrive(socket, a);
        String after = later(clientEvent, a.departure() == null ? null : a.departure().lastEvent());
        if (after == null) after = a.joined();
        connection.opened(opening.restore(connection, a.groupId(), a.state(), a.session(), after), () -> {
            live.remove(connection);
            release.run();
        });
        opening.settled(connection);
    }

    /** The later of two event positions ({@code MS-SEQ}), either of which may be null. */
    static String later(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compareUnsigned(Long.parseLong(x[0]), Long.parseLong(y[0]));
        if (c == 0) c = Long.compareUnsigned(Long.parseLong(x[1]), Long.parseLong(y[1]));
        return c >= 0 ? a : b;
    }

    /**
     * Another node's client resumed there a connection this node has: hands it over (it ends
     * here as moved), or says why not.
     */
    public Elsewhere.Departure handOver(String token, String sessionId, long clientReceived) {
        if (registry.find(token) instanceof ResumeRegistry.Live live) return live.connection().handOver(clientReceived, sessionId);
        return Elsewhere.Departure.refusal(registry.find(token) instanceof ResumeRegistry.Refusal r ? r.reason() : Reasons.UNKNOWN_TOKEN);
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
        Elsewhere others = elsewhere;
        if (others != null) others.registered(token, connection.id());
        return token;
    }

    void retire(String token, String reason) {
        if (token == null) return;
        registry.retire(token, reason);
        Elsewhere others = elsewhere;
        if (others != null) others.retired(token);
    }

    ScheduledFuture<?> expireLater(ResumableConnection connection) {
        return timers.schedule(connection::expire, windowSeconds, TimeUnit.SECONDS);
    }

    long heartbeatMillis() {
        return heartbeatMillis;
    }
}
