package io.workjs.runtime;

/**
 * Where {@code this.sess} keeps its data. Called on the JS loop thread only, so each call should
 * be a small synchronous read or write; {@code save} and {@code delete} are durable when they return.
 */
public interface SessionData {
    /** No sessions: every id loads as a fresh session and nothing is kept. */
    SessionData NONE = new SessionData() {
        @Override
        public String load(String id) {
            return "{}";
        }

        @Override
        public void save(String id, String json) {
        }

        @Override
        public void delete(String id) {
        }
    };

    /**
     * The session's data as a JSON object, {@code "{}"} for a session with nothing stored yet, or
     * null when the id must get the anonymous session (it expired).
     */
    String load(String id);

    /** Stores the session's whole data, a JSON object. */
    void save(String id, String json);

    /** Forgets the session's data. */
    void delete(String id);
}
