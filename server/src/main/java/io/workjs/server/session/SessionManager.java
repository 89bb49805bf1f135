package io.workjs.server.session;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.workjs.runtime.SessionData;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.config.Sessions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sessions of one server: reads and issues the signed cookie, and gives the runtime its
 * {@link SessionData} over a {@link SessionStore}, with idle expiry and a periodic sweep.
 */
public final class SessionManager implements SessionData, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.sessions");
    /** The store's file in the data folder. */
    public static final String STORE_FILE = "sessions.mv.db";

    private final SessionCookie cookie;
    private final SessionStore store;
    private final Sessions settings;
    private final boolean secure;
    private final LongSupplier clock;
    private final ScheduledExecutorService sweeper;

    SessionManager(SessionCookie cookie, SessionStore store, Sessions settings, boolean secure, LongSupplier clock) {
        this.cookie = cookie;
        this.store = store;
        this.settings = settings;
        this.secure = secure;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workjs-session-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, Math.min(settings.idleSeconds() / 10, 60));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.SECONDS);
    }

    /** Opens the store in the data folder, with CONF's secrets or the generated one. */
    public static SessionManager start(ServerConfig config) {
        Path data = SecretFile.dataFolder(config.data());
        Sessions settings = config.sessions();
        List<String> secrets = settings.secrets().isEmpty() ? List.of(SecretFile.readOrCreate(data)) : settings.secrets();
        boolean secure = config.origin() != null && config.origin().startsWith("https:");
        SessionStore store = MvSessionStore.open(data.resolve(STORE_FILE));
        return new SessionManager(SessionCookie.of(secrets), store, settings, secure, System::currentTimeMillis);
    }

    /** The session id of the request's cookie when its signature holds, else null. */
    public String idOf(HttpServerExchange exchange) {
        Cookie c = exchange.getRequestCookie(settings.cookie());
        return c == null ? null : cookie.verify(c.getValue());
    }

    /** Sets the cookie on a page of a session route: the request's own session, or a new one. */
    public void issue(HttpServerExchange exchange) {
        String id = idOf(exchange);
        if (id == null || expired(id)) id = SessionCookie.newId();
        exchange.getResponseHeaders().add(io.undertow.util.Headers.SET_COOKIE, header(cookie.sign(id)));
    }

    /** The Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure on an https origin, kept as long as a session may idle. */
    String header(String value) {
        return settings.cookie() + "=" + value + "; Path=/; Max-Age=" + settings.idleSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    private boolean expired(String id) {
        SessionStore.Stored stored = store.load(id);
        return stored != null && (stored.expired() || stored.lastUse() < clock.getAsLong() - idleMillis());
    }

    private long idleMillis() {
        return settings.idleSeconds() * 1000;
    }

    @Override
    public String load(String id) {
        SessionStore.Stored stored = store.load(id);
        if (stored == null) return "{}";
        if (expired(id)) return null;
        store.touch(id, clock.getAsLong());
        return stored.json();
    }

    @Override
    public void save(String id, String json) {
        store.save(id, json, clock.getAsLong());
    }

    @Override
    public void delete(String id) {
        store.delete(id);
    }

    /** Expires idle sessions; an expired id is remembered (refused) for another idle period, then forgotten. */
    int sweep() {
        try {
            long now = clock.getAsLong();
            return store.sweep(now - idleMillis(), now - 2 * idleMillis());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session sweep failed", e);
            return 0;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        store.close();
    }
}
