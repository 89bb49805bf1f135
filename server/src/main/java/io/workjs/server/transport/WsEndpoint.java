package io.workjs.server.transport;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import io.workjs.runtime.Controller;
import io.workjs.runtime.JsRuntime;
import io.workjs.server.config.Limits;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Upgrades requests on routes with the {@code ws} flag and wires each connection to the
 * runtime: init() is queued before the first frame is read, frames go to the loop in arrival
 * order, and the close of the channel, for any reason, tells the runtime once.
 */
public final class WsEndpoint {
    private static final Logger LOG = Logger.getLogger("workjs.ws");
    private static final AttachmentKey<Upgrade> UPGRADE = AttachmentKey.create(Upgrade.class);
    /** Run once when the connection that this request upgrades to closes (the connection limits' release). */
    public static final AttachmentKey<Runnable> CLOSE_TASK = AttachmentKey.create(Runnable.class);

    /** Close codes this server sends (see docs/PROTOCOL.md). */
    static final int UNSUPPORTED_DATA = 1003;
    static final int GOING_AWAY = 1001;

    private final JsRuntime runtime;
    private final int maxMessageBytes;
    private final int maxQueuedBytes;
    private final Function<HttpServerExchange, String> sessionIds;
    private final HttpHandler handshake;
    private final AtomicLong ids = new AtomicLong();
    private final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
    private final Heartbeat heartbeat;

    /**
     * An endpoint that holds each connection to the message, queue and idle bounds of
     * {@code limits}; {@code sessionIds} gives the verified session id of an upgrade request's
     * cookie, or null.
     */
    public WsEndpoint(JsRuntime runtime, Limits limits, Function<HttpServerExchange, String> sessionIds) {
        this.runtime = runtime;
        this.maxMessageBytes = limits.maxMessageBytes();
        this.maxQueuedBytes = limits.maxQueuedBytes();
        this.sessionIds = sessionIds;
        this.heartbeat = new Heartbeat(limits.pingIntervalSeconds(), limits.pingTimeoutSeconds(), open);
        this.handshake = new WebSocketProtocolHandshakeHandler((WebSocketConnectionCallback) this::connected);
    }

    /** What the connection will run: its controller, the values for {@code this.context}, its session (or null). */
    private record Upgrade(Controller controller, Map<String, String> context, String sessionId) {
    }

    /** Upgrades the request, or answers 503 when the route's controller did not load. */
    public void upgrade(HttpServerExchange exchange, Controller controller, Map<String, String> context) throws Exception {
        if (!controller.ok()) {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send("WebSocket refused: controller " + controller.file() + " did not load: " + controller.error() + "\n");
            return;
        }
        exchange.putAttachment(UPGRADE, new Upgrade(controller, context, sessionIds.apply(exchange)));
        handshake.handleRequest(exchange);
    }

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Upgrade upgrade = exchange.getAttachment(UPGRADE);
        WsConnection connection = new WsConnection(Long.toString(ids.incrementAndGet(), 36), channel, maxQueuedBytes);
        heartbeat.start(connection);
        open.add(connection);
        channel.getReceiveSetter().set(new Receiver(connection));
        Runnable closeTask = exchange.getAttachment(CLOSE_TASK);
        channel.addCloseTask(closed -> {
            if (closeTask != null) closeTask.run();
            open.remove(connection);
            runtime.closed(connection);
        });
        runtime.open(connection, upgrade.controller(), upgrade.context(), upgrade.sessionId());
        channel.resumeReceives();
    }

    /** Number of open connections. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every connection with 1001 (going away), as the server stops. */
    public void closeAll() {
        heartbeat.close();
        for (WsConnection connection : open) connection.close(GOING_AWAY, "server is stopping");
    }

    private final class Receiver extends AbstractReceiveListener {
        private final WsConnection connection;

        Receiver(WsConnection connection) {
            this.connection = connection;
        }

        @Override
        public void handleEvent(WebSocketChannel channel) {
            connection.heardNanos = System.nanoTime();   // any frame, a pong included, shows the peer is there
            super.handleEvent(channel);
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            runtime.message(connection, message.getData());
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            connection.close(UNSUPPORTED_DATA, "binary frames are not supported: send JSON text");
        }

        @Override
        protected long getMaxTextBufferSize() {
            return maxMessageBytes;
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return maxMessageBytes;
        }

        // A frame over getMaxTextBufferSize() never gets here as such: Undertow itself closes the
        // connection with 1009 "UT002040: Message exceeded max message size of N" and then
        // reports an IOException, which ends up below like any other failure.
        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            LOG.log(Level.FINE, "connection " + connection.id() + " failed", error);
            super.onError(channel, error);
        }
    }
}
