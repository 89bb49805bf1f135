package io.workjs.runtime.internal;

import io.workjs.runtime.ServiceException;
import io.workjs.runtime.SessionData;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * JavaScript's way to {@link SessionData}. Loading is asynchronous (init() waits for it);
 * {@code set()}, {@code clear()} and {@code regenerate()} are synchronous in the API controllers know, so their writes
 * are waited for here, at most {@code waitMillis}. A failure reaches JavaScript as an Error with
 * code {@code SESSION_FAILED}.
 */
public final class JsSessions {
    private static final Logger LOG = Logger.getLogger("workjs.sessions");
    static final String FAILED = "SESSION_FAILED";

    private final SessionData data;
    private final LoopPromises promises;
    private final long waitMillis;
    private final Runnable beforeWaiting;

    /** {@code beforeWaiting} runs on the loop before a write blocks it (the loop's frames go first). */
    JsSessions(SessionData data, LoopPromises promises, long waitMillis, Runnable beforeWaiting) {
        this.data = data;
        this.promises = promises;
        this.waitMillis = waitMillis;
        this.beforeWaiting = beforeWaiting;
    }

    /** Calls {@code onData(json or null)} on the loop once the session is loaded, or {@code onError(error)}. */
    @HostAccess.Export
    public void load(String id, Value onData, Value onError) {
        CompletionStage<String> loading = data.load(id).whenComplete((json, failure) -> {
            if (failure != null) LOG.log(Level.SEVERE, "session store: cannot load a session", failure);
        });
        promises.whenDone(loading, FAILED, onData, onError);
    }

    /**
     * Calls {@code changed(id, json)} on the loop whenever another node wrote a session's data
     * (json null: cleared), so that its open sessions here show the write.
     */
    @HostAccess.Export
    public void watch(Value changed) {
        data.watch((id, json) -> promises.onLoop(() -> changed.executeVoid(id, json)));
    }

    /** Writes the session's data (null: forgets it), durably, before it returns. */
    @HostAccess.Export
    public void save(String id, String json) {
        await(json == null ? data.delete(id) : data.save(id, json), "write");
    }

    /** Moves the session's data to a new id, durably, before it returns: {@code "<new id> <ticket>"}. */
    @HostAccess.Export
    public String renew(String id, String json) {
        SessionData.Renewal renewal = await(data.renew(id, json), "renewal");
        return renewal.id() + " " + renewal.ticket();
    }

    private <T> T await(CompletionStage<T> operation, String what) {
        beforeWaiting.run();
        try {
            return operation.toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.severe("session store: a " + what + " took longer than " + waitMillis + " ms");
            throw promises.thrown(FAILED, "session store failed: no answer within " + waitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw promises.thrown(FAILED, "session store failed: interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.log(Level.SEVERE, "session store: a " + what + " failed", cause);
            throw promises.thrown(cause instanceof ServiceException s ? s.code() : FAILED, "session store failed: " + cause.getMessage());
        }
    }
}
