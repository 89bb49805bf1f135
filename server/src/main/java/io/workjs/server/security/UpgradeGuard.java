package io.workjs.server.security;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import io.workjs.runtime.Metrics;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.http.PlainText;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * What every WebSocket upgrade passes before any controller code runs: the server's admission
 * state, the origin check, then a place within the connection limits. A refusal is answered
 * here, in plain text, and logged (at most {@link RefusalLog#LINES_PER_SECOND} lines a second).
 */
public final class UpgradeGuard {
    /**
     * Whether the server takes new connections: {@code OPEN} while it serves, {@code DRAINING}
     * while it lets its connections go before stopping, {@code CLOSED} once it is stopping.
     * It only ever moves forward.
     */
    public enum Admission {
        OPEN(0, null),
        DRAINING(StatusCodes.SERVICE_UNAVAILABLE, "server is draining: connect again to reach another"),
        CLOSED(StatusCodes.SERVICE_UNAVAILABLE, "server is stopping");

        final int status;
        final String reason;

        Admission(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }
    }

    private final RefusalLog log = new RefusalLog(Logger.getLogger("workjs.security"));

    private final OriginCheck origins;
    private final ConnectionLimits limits;
    private final String resumeProtocol;
    private final IntSupplier detached;
    private volatile Admission admission = Admission.OPEN;
    private final Metrics metrics;

    /**
     * Checks upgrades against {@code config}'s origins and limits. {@code detached} counts the
     * resumable connections waiting for their clients: an upgrade that offers
     * {@code resumeProtocol} may go that many places beyond the limits, since if it resumes one
     * of them it gives its own place back at once, and a storm of resumes after a network blip
     * must not be refused by the places the detached connections hold.
     */
    public UpgradeGuard(ServerConfig config, String resumeProtocol, IntSupplier detached, Metrics metrics) {
        this.metrics = metrics;
        this.origins = new OriginCheck(config.origin(), config.origins());
        this.limits = new ConnectionLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerAddress());
        this.resumeProtocol = resumeProtocol;
        this.detached = detached;
    }

    /** The admission state now. */
    public Admission admission() {
        return admission;
    }

    /** Moves the admission state forward to {@code next} (never back). */
    public synchronized void enter(Admission next) {
        if (next.ordinal() > admission.ordinal()) admission = next;
    }

    /**
     * The place the connection holds, to be released when it closes; or null when the upgrade
     * was refused (and answered). The client's address is the socket's peer, never a header: a
     * proxy in front counts as one client.
     */
    public ConnectionLimits.Slot admit(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        Admission now = admission;
        if (now != Admission.OPEN) {
            metrics.denied("draining");
            log.refused("WebSocket upgrade of " + path + " refused (" + now.status + "): " + now.reason);
            PlainText.send(exchange, now.status, now.reason);
            return null;
        }
        String origin = origins.refused(exchange);
        if (origin != null) {
            metrics.denied("origin");
            log.refused("WebSocket upgrade of " + path + " refused (403): origin " + origin + " is not allowed");
            PlainText.send(exchange, StatusCodes.FORBIDDEN, "WebSocket refused: origin " + origin + " is not allowed to connect to this site");
            return null;
        }
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        String offered = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_PROTOCOL);
        int spare = offered != null && offered.contains(resumeProtocol) ? detached.getAsInt() : 0;
        return switch (limits.acquire(peer.getAddress(), spare)) {
            case ConnectionLimits.Slot slot -> slot;
            case ConnectionLimits.Refusal refusal -> {
                metrics.denied("limits");
                log.refused("WebSocket upgrade of " + path + " from " + peer.getAddress().getHostAddress() + " refused ("
                        + refusal.status + "): " + refusal.reason);
                PlainText.send(exchange, refusal.status, refusal.reason);
                yield null;
            }
        };
    }

    /**
     * After the handshake: gives the place back at once when the request did not switch
     * protocols (a bad handshake, a controller that did not load), else when the socket dies
     * before a connection {@link ConnectionLimits.Slot#adopt adopted} the place. Only an upgraded
     * socket gets the listener, so a keep-alive client cannot pile them up with failed handshakes.
     */
    public void settle(HttpServerExchange exchange, ConnectionLimits.Slot slot) {
        if (exchange.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS) {
            slot.release();
            return;
        }
        exchange.getConnection().addCloseListener(connection -> {
            if (!slot.adopted()) slot.release();
        });
    }

    /** Open WebSocket connections as counted for the limits. */
    public int open() {
        return limits.open();
    }
}
