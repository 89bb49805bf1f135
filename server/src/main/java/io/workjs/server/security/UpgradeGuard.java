package io.workjs.server.security;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.workjs.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * What every WebSocket upgrade passes before any controller code runs: the origin check, then
 * a place within the connection limits. A refusal is answered here, in plain text, and logged
 * (at most {@link RefusalLog#LINES_PER_SECOND} lines a second).
 */
public final class UpgradeGuard {
    private final RefusalLog log = new RefusalLog(Logger.getLogger("workjs.security"));

    private final OriginCheck origins;
    private final ConnectionLimits limits;

    public UpgradeGuard(ServerConfig config) {
        this.origins = new OriginCheck(config.origin(), config.origins());
        this.limits = new ConnectionLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerAddress());
    }

    /**
     * The place the connection holds, to be released when it closes; or null when the upgrade
     * was refused (and answered). The client's address is the socket's peer, never a header: a
     * proxy in front counts as one client.
     */
    public ConnectionLimits.Slot admit(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        String origin = origins.refused(exchange);
        if (origin != null) {
            log.refused("WebSocket upgrade of " + path + " refused (403): origin " + origin + " is not allowed");
            refuse(exchange, StatusCodes.FORBIDDEN, "WebSocket refused: origin " + origin + " is not allowed to connect to this site");
            return null;
        }
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        return switch (limits.acquire(peer.getAddress())) {
            case ConnectionLimits.Slot slot -> slot;
            case ConnectionLimits.Refusal refusal -> {
                log.refused("WebSocket upgrade of " + path + " from " + peer.getAddress().getHostAddress() + " refused ("
                        + refusal.status + "): " + refusal.reason);
                refuse(exchange, refusal.status, refusal.reason);
                yield null;
            }
        };
    }

    /**
     * After the handshake: gives the place back at once when the request did not switch
     * protocols (a bad handshake, a controller that did not load), else when the socket dies
     * before the connection's own close task could run. Only an upgraded socket gets the
     * listener, so a keep-alive client cannot pile them up with failed handshakes.
     */
    public void settle(HttpServerExchange exchange, ConnectionLimits.Slot slot) {
        if (exchange.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS) {
            slot.release();
            return;
        }
        exchange.getConnection().addCloseListener(connection -> slot.release());
    }

    /** Open WebSocket connections as counted for the limits. */
    public int open() {
        return limits.open();
    }

    private static void refuse(HttpServerExchange exchange, int status, String text) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(text + "\n");
    }
}
