package io.workjs.server.session;

import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.ServiceException;
import io.workjs.runtime.SessionData;
import io.workjs.server.config.Sessions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime's side of sessions: {@link SessionData} over a {@link SessionStore}, with idle
 * expiry and a periodic sweep. The embedded store's reads and writes are small local file
 * operations, so they run on the caller's thread and the stages come back complete; a networked
 * store's run on a few threads of their own.
 */
public final class StoredSessions implements SessionData, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.sessions");
    /** The code JavaScript sees when the store fails. */
    static final String FAILED = "SESSION_FAILED";
    /** Threads that wait for a networked store, so that the JS loop never does (except in set(), by design). */
    private static final int NETWORK_THREADS = 4;
    /** How long a ticket for a regenerated session's cookie is good for: the client takes it at once. */
    static final long TICKET_MILLIS = 30_000;
    /** Sweeps run every idle/10 seconds, at least every second and at most every minute. */
    private static final long MAX_SWEEP_SECONDS = 60;

    private final SessionStore store;
    private final long idleMillis;
    private final LongSupplier clock;
    private final ScheduledExecutorService sweeper;
    /** Where store operations run: the caller's thread for the embedded store, a small pool for a networked one. */
    private final Executor executor;
    private final ExecutorService pool;

    /** Sessions in {@code store}, expiring after {@code settings.idleSeconds()}; {@code clock} gives epoch ms. */
    public StoredSessions(SessionStore store, Sessions settings, LongSupplier clock) {
        this.store = store;
        this.idleMillis = settings.idleSeconds() * 1000;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-session-sweep"));
        this.pool = store.networked() ? Executors.newFixedThreadPool(NETWORK_THREADS, DaemonThreads.named("workjs-sessions")) : null;
        this.executor = pool == null ? Runnable::run : pool;
        long every = Math.max(1, Math.min(settings.idleSeconds() / 10, MAX_SWEEP_SECONDS));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.SECONDS);
    }

    /** True when the id has no record or an unexpired one: a cookie with it may be issued again. */
    boolean usable(String id) {
        SessionStore.Stored stored = store.load(id);
        return stored == null || !expired(stored);
    }

    private boolean expired(SessionStore.Stored stored) {
        return stored.expired() || stored.lastUse() < clock.getAsLong() - idleMillis;
    }

    @Override
    public CompletionStage<String> load(String id) {
        return now(() -> {
            SessionStore.Stored stored = store.load(id);
            if (stored == null) return "{}";
            if (expired(stored)) return null;
            store.touch(id, clock.getAsLong());
            return stored.json();
        });
    }

    @Override
    public CompletionStage<Void> save(String id, String json) {
        return now(() -> {
            store.save(id, json, clock.getAsLong());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> delete(String id) {
        return now(() -> {
            store.delete(id);
            return null;
        });
    }

    /**
     * Stores the data under a new id, then a ticket for it, then forgets the old id: a failure
     * half way leaves the old session as it was (and at most an unused new one, which expires).
     */
    @Override
    public CompletionStage<Renewal> renew(String id, String json) {
        return now(() -> {
            String renewed = SessionCookie.newId();
            String ticket = SessionCookie.newId();
            long now = clock.getAsLong();
            store.save(renewed, json, now);
            store.putTicket(ticket, renewed + " " + id, now + TICKET_MILLIS);
            store.delete(id);
            return new Renewal(renewed, ticket);
        });
    }

    /**
     * The new session id of a ticket that regenerate() issued, taken for good, when the request
     * holds the cookie of the session it replaced (or already the new one); else null.
     */
    String redeem(String ticket, String requestSession) {
        String value = store.takeTicket(ticket, clock.getAsLong());
        if (value == null) return null;
        int space = value.indexOf(' ');
        String renewed = value.substring(0, space);
        String former = value.substring(space + 1);
        return former.equals(requestSession) || renewed.equals(requestSession) ? renewed : null;
    }

    @Override
    public void watch(java.util.function.BiConsumer<String, String> changed) {
        store.watch(changed);
    }

    /**
     * Runs a store operation on the executor (here and now for the embedded store, so the stage
     * comes back complete); a failure fails the stage with {@code SESSION_FAILED}.
     */
    private <T> CompletionStage<T> now(Supplier<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(operation.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(new ServiceException(FAILED, String.valueOf(e.getMessage()), e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            result.completeExceptionally(new ServiceException(FAILED, "the server is stopping", stopping));
        }
        return result;
    }

    /** Expires idle sessions; an expired id is remembered (refused) for another idle period, then forgotten. */
    int sweep() {
        try {
            long now = clock.getAsLong();
            return store.sweep(now - idleMillis, now - 2 * idleMillis);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session sweep failed", e);
            return 0;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        if (pool != null) pool.shutdownNow();
        store.close();
    }
}
