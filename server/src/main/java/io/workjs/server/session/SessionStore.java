package io.workjs.server.session;

/**
 * Where session data lives between connections and restarts: the embedded file, or Redis for a
 * cluster (io.workjs.server.cluster.RedisSessionStore). Small on purpose. Every operation is
 * synchronous; {@link StoredSessions} runs a networked store's on threads of its own. Times are epoch milliseconds from the caller's clock.
 */
public interface SessionStore extends AutoCloseable {
    /** A stored session: its JSON data ({@code null} once it expired: the id stays refused) and its last use. */
    record Stored(String json, long lastUse) {
        public boolean expired() {
            return json == null;
        }
    }

    /** The session's record, or null when the id has none. */
    Stored load(String id);

    /** Writes the session's data and marks it used; durable when this returns. */
    void save(String id, String json, long now);

    /** Removes the session's record; durable when this returns. */
    void delete(String id);

    /** Marks a stored, unexpired session used; an id without a record stays without one. */
    void touch(String id, long now);

    /**
     * Keeps a one-time ticket ({@code this.sess.regenerate()}'s) with its value until
     * {@code expiresAt}; durable when this returns.
     */
    void putTicket(String ticket, String value, long expiresAt);

    /** Removes the ticket and returns its value, or null when it is unknown, used or expired; at most once per ticket. */
    String takeTicket(String ticket, long now);

    /**
     * Drops the data of sessions last used before {@code expireBefore} (their ids stay refused)
     * and forgets refused ids last used before {@code forgetBefore} and expired tickets. Returns how
     * many sessions expired.
     */
    int sweep(long expireBefore, long forgetBefore);

    /**
     * Calls {@code changed(id, json)}, on any thread, when a session's data is written by another
     * process sharing the store (json null: deleted). The embedded store is one process's alone.
     */
    default void watch(java.util.function.BiConsumer<String, String> changed) {
    }

    /** True when operations go over the network: they then run off the caller's thread. */
    default boolean networked() {
        return false;
    }

    @Override
    void close();
}
