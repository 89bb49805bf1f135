package io.workjs.server.transport;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version07.Hybi07Handshake;
import io.undertow.websockets.core.protocol.version08.Hybi08Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.ConnectionEvents;
import io.workjs.runtime.Controller;
import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.Inbound;
import io.workjs.runtime.Metrics;
import io.workjs.server.config.Limits;
import io.workjs.server.http.PlainText;
import io.workjs.server.resume.ResumableConnection;
import io.workjs.server.resume.Resumption;
import io.workjs.server.security.ConnectionLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.xnio.StreamConnection;

/**
 * Upgrades requests on routes with the {@code ws} flag and reports each connection to the
 * runtime through {@link ConnectionEvents}: the open before the first frame is read, frames in
 * arrival order, and the close of the channel, for any reason, once. A client that offers the
 * resumption subprotocol gets a {@link io.workjs.server.resume.ResumableConnection} instead,
 * which its {@code _hello} either resumes or starts, and which outlives the socket.
 */
public final class WsEndpoint {
    private static final AttachmentKey<Upgrade> UPGRADE = AttachmentKey.create(Upgrade.class);
    /** The place within the connection limits that this request's connection holds, given back when it ends. */
    public static final AttachmentKey<ConnectionLimits.Slot> PLACE = AttachmentKey.create(ConnectionLimits.Slot.class);

    private final ConnectionEvents events;
    private final Resumption resumption;
    private final int maxMessageBytes;
    private final int maxQueuedBytes;
    private final Function<HttpServerExchange, String> sessionIds;
    private final WebSocketProtocolHandshakeHandler handshake;
    private final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
    private final Heartbeat heartbeat;
    private final Outflows outflows;
    private final Metrics metrics;
    private final ScheduledExecutorService drains = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-drain"));

    /**
     * An endpoint that reports its connections to {@code events} and holds each to the message,
     * queue and idle bounds of {@code limits}; {@code sessionIds} gives the verified session id of
     * an upgrade request's cookie, or null. {@code resumption} takes the clients that ask for it;
     * {@code metrics} hears of connections, frames and bytes; {@code outflows} writes the frames
     * (the same the runtime was given as its {@link io.workjs.runtime.LoopBatches}).
     */
    public WsEndpoint(ConnectionEvents events, Limits limits, Resumption resumption, Function<HttpServerExchange, String> sessionIds,
            Metrics metrics, Outflows outflows) {
        this.events = events;
        this.outflows = outflows;
        this.metrics = metrics;
        this.resumption = resumption;
        this.maxMessageBytes = limits.maxMessageBytes();
        this.maxQueuedBytes = limits.maxQueuedBytes();
        this.sessionIds = sessionIds;
        this.heartbeat = new Heartbeat(limits.pingIntervalSeconds(), limits.pingTimeoutSeconds(), open);
        Set<String> subprotocols = resumption.enabled() ? Set.of(Resumption.PROTOCOL) : Set.of();
        // The three versions frame alike (RFC 6455 and its last drafts); no extension is agreed.
        List<Handshake> offered = List.of(new Hybi13Handshake(subprotocols, false), new Hybi08Handshake(subprotocols, false),
                new Hybi07Handshake(subprotocols, false));
        // One listener for every upgrade: Undertow keeps the listener of a connection's last
        // upgrade for the socket's life, and its own per-request listener would keep the request.
        HttpUpgradeListener upgraded = this::upgraded;
        this.handshake = new WebSocketProtocolHandshakeHandler(offered, upgraded);
    }

    /** What the connection will run: its route's pattern, its controller, the values for {@code this.context}, its session (or null). */
    private record Upgrade(String route, Controller controller, Map<String, String> context, String sessionId) {
    }

    /** Upgrades the request, or answers 503 when the route's controller did not load. */
    public void upgrade(HttpServerExchange exchange, String route, Controller controller, Map<String, String> context) throws Exception {
        if (!controller.ok()) {
            PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                    "WebSocket refused: controller " + controller.file() + " did not load: " + controller.error());
            return;
        }
        exchange.putAttachment(UPGRADE, new Upgrade(route, controller, context, sessionIds.apply(exchange)));
        handshake.handleRequest(exchange);
    }

    /**
     * The handshake's answer has gone out: the socket is ours, framed by {@link WsConnection}.
     * On the socket's I/O thread.
     */
    private void upgraded(StreamConnection stream, HttpServerExchange request) {
        Upgrade upgrade = request.getAttachment(UPGRADE);
        ConnectionLimits.Slot place = request.getAttachment(PLACE);
        boolean resumable = Resumption.PROTOCOL.equals(request.getResponseHeaders().getFirst(Headers.SEC_WEB_SOCKET_PROTOCOL));
        ServerConnection http = request.getConnection();
        letGo(request);
        if (place != null) place.adopt();
        Runnable release = place == null ? () -> { } : place::release;
        WsConnection socket = new WsConnection(ConnectionIds.next(), stream, maxMessageBytes, maxQueuedBytes,
                outflows.of(stream.getIoThread()), metrics);
        heartbeat.start(socket);
        open.add(socket);
        metrics.connected(upgrade.route());
        if (resumable) {
            socket.sink = new AwaitingHello(socket, upgrade, release);
        } else {
            Inbound inbound = events.opened(socket, upgrade.controller(), upgrade.context(), upgrade.sessionId());
            socket.sink = new Plain(inbound, release);
        }
        String route = upgrade.route();
        // Undertow's connection hears of every close of the socket, ours or the network's or the worker's, once.
        http.addCloseListener(closed -> {
            open.remove(socket);
            metrics.disconnected(route, socket.endReason());
            socket.sink.ended();
        });
        socket.start();
    }

    /**
     * Nothing reads the upgrade request once the socket is ours. Undertow's own upgrade listener
     * kept it for the socket's life (section 14 of bench/RESULTS.md: about 1.1 KB of headers,
     * paths and attachments per idle connection); with ours nothing should, and its contents are
     * cleared all the same, so that a reference left in Undertow keeps only an empty exchange.
     */
    private static void letGo(HttpServerExchange request) {
        request.getRequestHeaders().clear();
        request.getResponseHeaders().clear();
        request.getQueryParameters().clear();
        request.getPathParameters().clear();
        request.removeAttachment(UPGRADE);
        request.removeAttachment(PLACE);
        request.setRequestURI("");
        request.setRequestPath("");
        request.setRelativePath("");
        request.setResolvedPath("");
        request.setQueryString("");
    }

    /** Number of open sockets. */
    public int openConnections() {
        return open.size();
    }

    /**
     * A drain (docs/OPERATIONS.md): every open socket is closed with 1012 (service restart) once
     * the calls it sent are answered, the closes spread evenly over {@code spreadMillis} so that
     * the clients' reconnects do not come as one storm. A resumable connection is not ended: its
     * client resumes it elsewhere. Returns at once; the closes happen on a timer.
     */
    public void drain(long spreadMillis) {
        List<WsConnection> sockets = new ArrayList<>(open);
        int n = sockets.size();
        for (int i = 0; i < n; i++) {
            WsConnection socket = sockets.get(i);
            long at = spreadMillis * i / Math.max(1, n);
            drains.schedule(() -> socket.sink.drain(() -> socket.close(CloseCodes.SERVICE_RESTART, DRAIN_REASON)),
                    at, TimeUnit.MILLISECONDS);
        }
    }

    /** The close reason of a drain's 1012. */
    public static final String DRAIN_REASON = "server is restarting: connect again";

    /** Ends resumable connections and closes every socket with 1001 (going away), as the server stops. */
    public void closeAll() {
        drains.shutdownNow();
        heartbeat.close();
        resumption.stopAll();
        for (WsConnection connection : open) connection.close(CloseCodes.GOING_AWAY, "server is stopping");
    }

    /** Frames a client may send after its welcome and before its socket knows its connection (a resume across nodes). */
    static final int MAX_EARLY_FRAMES = 1024;

    /** The close reason for a resumable socket whose first frame is no hello, or that says none in time. */
    static final String NO_HELLO = "the first frame of a resumable connection must be _hello";

    /** Where one socket's frames and its end go. */
    interface Sink {
        void text(String text);

        /** The socket closed, for any reason. */
        void ended();

        /** The heartbeat's visit, every few hundred ms, to a socket that has answered its pings. */
        default void heartbeat(long intervalNanos, long timeoutNanos) {
        }

        /** A drain: {@code close} runs once the socket's calls are answered (at once when it has no connection yet). */
        default void drain(Runnable close) {
            close.run();
        }
    }

    /** A plain connection: the socket is the connection. */
    private record Plain(Inbound inbound, Runnable release) implements Sink {
        @Override
        public void text(String text) {
            inbound.message(text);
        }

        @Override
        public void ended() {
            release.run();
            inbound.closed();
        }

        @Override
        public void drain(Runnable close) {
            inbound.drain(close);
        }
    }

    /**
     * A socket that asked for resumption, until its first frame ({@code _hello}) has said which
     * connection it is and that connection is settled. On a cluster that may take a while (the
     * connection comes from another node) and end on another thread: frames the client sends
     * once it has its welcome, before this socket knows its connection, wait here in order
     * (at most {@link #MAX_EARLY_FRAMES}) and go to the connection once it is known.
     */
    private final class AwaitingHello implements Sink, Resumption.Opening {
        private final WsConnection socket;
        private final Upgrade upgrade;
        private final Runnable release;
        private final long sinceNanos = System.nanoTime();
        // Guarded by this: the socket's I/O thread and the thread that settles the connection.
        private boolean heard;
        private boolean ended;
        // Volatile too: ended() and heartbeat() read it without the lock, so that a connection
        // that closes this socket under its own lock never waits for this one (settled() holds
        // this one while it hands the connection the early frames).
        private volatile ResumableConnection connection;
        private final java.util.ArrayDeque<String> early = new java.util.ArrayDeque<>();

        AwaitingHello(WsConnection socket, Upgrade upgrade, Runnable release) {
            this.socket = socket;
            this.upgrade = upgrade;
            this.release = release;
        }

        @Override
        public synchronized void text(String text) {
            if (connection != null) {
                connection.text(socket, text);
                return;
            }
            if (heard) {
                if (early.size() >= MAX_EARLY_FRAMES) socket.close(CloseCodes.PROTOCOL_ERROR, "wait for _welcome before sending");
                else early.add(text);
                return;
            }
            heard = true;
            if (!resumption.hello(socket, text, upgrade.sessionId(), socket.id(), this, release)) {
                socket.close(CloseCodes.PROTOCOL_ERROR, NO_HELLO);
            }
        }

        @Override
        public Inbound open(ResumableConnection c) {
            return events.opened(c, upgrade.controller(), upgrade.context(), upgrade.sessionId());
        }

        @Override
        public Inbound restore(ResumableConnection c, String groupId, String state, String session, String after) {
            return events.restored(c, groupId, state, session, after);
        }

        @Override
        public synchronized void settled(ResumableConnection c) {
            connection = c;
            for (String frame; (frame = early.poll()) != null; ) c.text(socket, frame);
            if (ended) c.ended(socket);   // gone while another node handed it over: it waits detached
            socket.sink = new Resumed(socket, c);
        }

        @Override
        public void ended() {
            ResumableConnection c = connection;
            if (c != null) {
                c.ended(socket);
                return;
            }
            synchronized (this) {
                if (connection != null) connection.ended(socket);
                else if (heard) ended = true;   // its connection, once settled, hears of it
                else release.run();             // gone before it said hello: it was never a connection
            }
        }

        /** A socket that says no hello within the ping timeout holds a place for nothing: it is closed. */
        @Override
        public void heartbeat(long intervalNanos, long timeoutNanos) {
            ResumableConnection c = connection;
            if (c != null) c.heartbeat(socket, intervalNanos);
            else if (System.nanoTime() - sinceNanos >= timeoutNanos && !hasHeard()) socket.close(CloseCodes.PROTOCOL_ERROR, NO_HELLO);
        }

        private synchronized boolean hasHeard() {
            return heard;
        }

        @Override
        public void drain(Runnable close) {
            ResumableConnection c = connection;
            if (c != null) c.drain(socket, close);
            else close.run();   // no connection yet to answer for: the client says hello elsewhere
        }
    }

    /** A socket of a resumable connection. */
    private record Resumed(WsConnection socket, ResumableConnection connection) implements Sink {
        @Override
        public void text(String text) {
            connection.text(socket, text);
        }

        @Override
        public void ended() {
            connection.ended(socket);
        }

        /** The client cannot see protocol pings: it gets a {@code _ping} when nothing else was sent for an interval. */
        @Override
        public void heartbeat(long intervalNanos, long timeoutNanos) {
            connection.heartbeat(socket, intervalNanos);
        }

        @Override
        public void drain(Runnable close) {
            connection.drain(socket, close);
        }
    }
}
