package io.workjs.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where {@code this.sess} keeps its data. Every operation answers with a stage, so a store may
 * do its work on its own threads (a networked one must); the runtime waits for the stage on the
 * loop only where the API it offers is synchronous ({@code set()}, {@code clear()}), and settles
 * everything else on the loop when the stage completes. A stage fails with a
 * {@link ServiceException} to give JavaScript a code of its own.
 */
public interface SessionData {
    /** No sessions: every id loads as a fresh session and nothing is kept. */
    SessionData NONE = new SessionData() {
        @Override
        public CompletionStage<String> load(String id) {
            return CompletableFuture.completedFuture("{}");
        }

        @Override
        public CompletionStage<Void> save(String id, String json) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> delete(String id) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Renewal> renew(String id, String json) {
            return CompletableFuture.failedFuture(new ServiceException("SESSION_FAILED", "this server keeps no sessions"));
        }
    };

    /** A session's new id and the one-time ticket with which its browser takes the new cookie. */
    record Renewal(String id, String ticket) {
    }

    /**
     * The session's data as a JSON object, {@code "{}"} for a session with nothing stored yet, or
     * null when the id must get the anonymous session (it expired).
     */
    CompletionStage<String> load(String id);

    /** Stores the session's whole data, a JSON object; durable when the stage completes. */
    CompletionStage<Void> save(String id, String json);

    /** Forgets the session's data; durable when the stage completes. */
    CompletionStage<Void> delete(String id);

    /**
     * {@code this.sess.regenerate()}: stores {@code json} under a new id, forgets {@code id}, and
     * issues a one-time ticket that turns a browser holding {@code id}'s cookie into one holding
     * the new id's; durable when the stage completes.
     */
    CompletionStage<Renewal> renew(String id, String json);

    /**
     * Calls {@code changed(id, json)}, on any thread, each time a session's data is written
     * elsewhere (by another node of a cluster; json null when it was cleared), so that sessions
     * held open here see it. A store that one process has to itself never calls it. Writes of
     * this process may be reported back too: the data is then what was written.
     */
    default void watch(java.util.function.BiConsumer<String, String> changed) {
    }
}
