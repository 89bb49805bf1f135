package io.workjs.server.session;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.config.Sessions;
import io.workjs.server.http.PlainText;
import io.workjs.server.security.OriginCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The HTTP side of sessions: reads the signed cookie of a request, sets it on the pages of
 * session routes, and gives the browser of a connection whose session regenerate() renewed its
 * new cookie ({@link #RENEW_PATH}). The keys are CONF's {@code sessionSecrets}, or the secret
 * generated into the data folder.
 */
public final class SessionCookies {
    /** Where the client trades the ticket of a {@code _session} event for the new cookie (docs/PROTOCOL.md). */
    public static final String RENEW_PATH = "/_workjs/session";
    private static final Logger LOG = Logger.getLogger("workjs.sessions");
    /** A ticket is a random id's 22 base64url characters. */
    private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final SessionCookie cookie;
    private final Sessions settings;
    private final boolean secure;
    private final StoredSessions sessions;
    private final OriginCheck origins;

    SessionCookies(SessionCookie cookie, Sessions settings, boolean secure, StoredSessions sessions, OriginCheck origins) {
        this.cookie = cookie;
        this.settings = settings;
        this.secure = secure;
        this.sessions = sessions;
        this.origins = origins;
    }

    /**
     * Cookies signed with CONF's secrets, else with {@code shared}'s (a cluster's, which every
     * node reads alike), else with the data folder's generated one; Secure on an https origin.
     */
    public static SessionCookies start(ServerConfig config, StoredSessions sessions, Supplier<String> shared) {
        Sessions settings = config.sessions();
        List<String> secrets = !settings.secrets().isEmpty() ? settings.secrets()
                : shared != null ? List.of(shared.get())
                : List.of(SecretFile.readOrCreate(SecretFile.dataFolder(config.data())));
        boolean secure = config.origin() != null && config.origin().startsWith("https:");
        return new SessionCookies(SessionCookie.of(secrets), settings, secure, sessions, new OriginCheck(config.origin(), config.origins()));
    }

    /** The session id of the request's cookie when its signature holds, else null. */
    public String idOf(HttpServerExchange exchange) {
        Cookie c = exchange.getRequestCookie(settings.cookie());
        return c == null ? null : cookie.verify(c.getValue());
    }

    /** Sets the cookie on a page of a session route: the request's own session, or a new one. Blocks: call on a worker. */
    public void issue(HttpServerExchange exchange) {
        String id = idOf(exchange);
        if (id == null || !sessions.usable(id)) id = SessionCookie.newId();
        exchange.getResponseHeaders().add(Headers.SET_COOKIE, header(cookie.sign(id)));
    }

    /**
     * {@code POST /_workjs/session} with a ticket as the body: 204 with the new session's cookie,
     * once per ticket, for a request that holds the cookie of the session regenerate() replaced;
     * 400 for a body that is no ticket, 403 for a page of another origin or a ticket that is
     * unknown, used, expired or another browser's, 405 for another method, 503 when the session
     * store fails. Blocks: runs on a worker.
     */
    public void renew(HttpServerExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            PlainText.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "POST the ticket of a _session event");
            return;
        }
        String origin = origins.refused(exchange);
        if (origin != null) {
            PlainText.send(exchange, StatusCodes.FORBIDDEN, "pages of " + origin + " may not renew this site's session");
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::renew);
            return;
        }
        exchange.startBlocking();
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(64);
        }
        String ticket = new String(body, StandardCharsets.US_ASCII).strip();
        if (!TICKET.matcher(ticket).matches()) {
            PlainText.send(exchange, StatusCodes.BAD_REQUEST, "the body must be the ticket of a _session event");
            return;
        }
        String renewed;
        try {
            renewed = sessions.redeem(ticket, idOf(exchange));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session store: cannot take a session ticket", e);
            PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, "the session store failed; try again");
            return;
        }
        if (renewed == null) {
            PlainText.send(exchange, StatusCodes.FORBIDDEN, "unknown, used or expired ticket, or one of another browser's session");
            return;
        }
        exchange.getResponseHeaders().add(Headers.SET_COOKIE, header(cookie.sign(renewed)));
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }

    /** The Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on an https origin, kept as long as a session may idle. */
    String header(String value) {
        return settings.cookie() + "=" + value + "; Path=/; Max-Age=" + settings.idleSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }
}
