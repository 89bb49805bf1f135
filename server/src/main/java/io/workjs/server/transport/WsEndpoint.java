package io.workjs.server.transport;

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
import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.ConnectionEvents;
import io.workjs.runtime.Controller;
import io.workjs.runtime.Inbound;
import io.workjs.server.config.Limits;
import io.workjs.server.http.PlainText;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Upgrades requests on routes with the {@code ws} flag and reports each connection to the
 * runtime through {@link ConnectionEvents}: the open before the first frame is read, frames in
 * arrival order, and the close of the channel, for any reason, once.
 */
public final class WsEndpoint {
    private static final Logger LOG = Logger.getLogger("workjs.ws");
    private static final AttachmentKey<Upgrade> UPGRADE = AttachmentKey.create(Upgrade.class);
    /** Run once when the connection that this request upgrades to closes (the connection limits' release). */
    public static final AttachmentKey<Runnable> CLOSE_TASK = AttachmentKey.create(Runnable.class);

    private final ConnectionEvents events;
    private final int maxMessageBytes;
    private final int maxQueuedBytes;
    private final Function<HttpServerExchange, String> sessionIds;
    private final WebSocketProtocolHandshakeHandler handshake;
    private final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
    private final Heartbeat heartbeat;

    /**
     * An endpoint that reports its connections to {@code events} and holds each to the message,
     * queue and idle bounds of {@code limits}; {@code sessionIds} gives the verified session id of
     * an upgrade request's cookie, or null.
     */
    public WsEndpoint(ConnectionEvents events, Limits limits, Function<HttpServerExchange, String> sessionIds) {
        this.events = events;
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
            PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                    "WebSocket refused: controller " + controller.file() + " did not load: " + controller.error());
            return;
        }
        exchange.putAttachment(UPGRADE, new Upgrade(controller, context, sessionIds.apply(exchange)));
        handshake.handleRequest(exchange);
    }

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        Upgrade upgrade = exchange.getAttachment(UPGRADE);
        WsConnection connection = new WsConnection(ConnectionIds.next(), channel, maxQueuedBytes);
        heartbeat.start(connection);
        open.add(connection);
        Inbound inbound = events.opened(connection, upgrade.controller(), upgrade.context(), upgrade.sessionId());
        channel.getReceiveSetter().set(new Receiver(connection, inbound));
        Runnable closeTask = exchange.getAttachment(CLOSE_TASK);
        channel.addCloseTask(closed -> {
            if (closeTask != null) closeTask.run();
            open.remove(connection);
            inbound.closed();
        });
        channel.resumeReceives();
    }

    /** Number of open connections. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every connection with 1001 (going away), as the server stops. */
    public void closeAll() {
        heartbeat.close();
        for (WsConnection connection : open) connection.close(CloseCodes.GOING_AWAY, "server is stopping");
    }

    private final class Receiver extends AbstractReceiveListener {
        private final WsConnection connection;
        private final Inbound inbound;

        Receiver(WsConnection connection, Inbound inbound) {
            this.connection = connection;
            this.inbound = inbound;
        }

        @Override
        public void handleEvent(WebSocketChannel channel) {
            connection.heardNanos = System.nanoTime();   // any frame, a pong included, shows the peer is there
            super.handleEvent(channel);
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            inbound.message(message.getData());
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            connection.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported: send JSON text");
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
