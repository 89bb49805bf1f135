package io.workjs.server.session;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.Headers;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.config.Sessions;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP side of sessions: reads the signed cookie of a request, and sets it on the pages of
 * session routes. The keys are CONF's {@code sessionSecrets}, or the secret generated into the
 * data folder.
 */
public final class SessionCookies {
    private final SessionCookie cookie;
    private final Sessions settings;
    private final boolean secure;
    private final StoredSessions sessions;

    SessionCookies(SessionCookie cookie, Sessions settings, boolean secure, StoredSessions sessions) {
        this.cookie = cookie;
        this.settings = settings;
        this.secure = secure;
        this.sessions = sessions;
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
        return new SessionCookies(SessionCookie.of(secrets), settings, secure, sessions);
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

    /** The Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on an https origin, kept as long as a session may idle. */
    String header(String value) {
        return settings.cookie() + "=" + value + "; Path=/; Max-Age=" + settings.idleSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }
}
