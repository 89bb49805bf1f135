package io.workjs.server.session;

import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.ServiceException;
import io.workjs.runtime.SessionData;
import io.workjs.server.config.Sessions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * store would complete them on its own threads instead.
 */
public final class StoredSessions implements SessionData, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.sessions");
    /** The code JavaScript sees when the store fails. */
    static final String FAILED = "SESSION_FAILED";
    /** Sweeps run every idle/10 seconds, at least every second and at most every minute. */
    private static final long MAX_SWEEP_SECONDS = 60;

    private final SessionStore store;
    private final long idleMillis;
    private final LongSupplier clock;
    private final ScheduledExecutorService sweeper;

    /** Sessions in {@code store}, expiring after {@code settings.idleSeconds()}; {@code clock} gives epoch ms. */
    public StoredSessions(SessionStore store, Sessions settings, LongSupplier clock) {
        this.store = store;
        this.idleMillis = settings.idleSeconds() * 1000;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-session-sweep"));
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

    /** Runs a store operation here and now, as a completed stage; a failure fails it with {@code SESSION_FAILED}. */
    private static <T> CompletionStage<T> now(Supplier<T> operation) {
        try {
            return CompletableFuture.completedFuture(operation.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ServiceException(FAILED, String.valueOf(e.getMessage()), e));
        }
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
        store.close();
    }
}
