package io.workjs.server.resume;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resume tokens of one process. A retired token is remembered, with its reason, for as long
 * as a client could still try it (the resume window), and at most {@code maxRetired} of them,
 * so that a client is told why, not merely "unknown"; past either, it is forgotten.
 */
public final class LocalResumeRegistry implements ResumeRegistry {
    private final ResumeTokens tokens;
    private final long rememberNanos;
    private final int maxRetired;
    private final Map<String, Object> byToken = new ConcurrentHashMap<>();

    /** Retired tokens are remembered for {@code rememberSeconds} and at most {@code maxRetired} at a time. */
    LocalResumeRegistry(ResumeTokens tokens, int rememberSeconds, int maxRetired) {
        this.tokens = tokens;
        this.rememberNanos = rememberSeconds * 1_000_000_000L;
        this.maxRetired = maxRetired;
    }

    /** A token that was retired, and when. */
    private record Retired(String reason, long atNanos) {
    }

    @Override
    public void register(String token, ResumableConnection connection) {
        byToken.put(token, connection);
    }

    @Override
    public Claim find(String token) {
        if (!ResumeTokens.wellFormed(token)) return new Refusal(Reasons.UNKNOWN_TOKEN);
        if (!tokens.ours(token)) return new Refusal(Reasons.SERVER_RESTARTED);
        Object entry = byToken.get(token);
        if (entry instanceof ResumableConnection c) return new Live(c);
        if (entry instanceof Retired r) return new Refusal(r.reason());
        return new Refusal(Reasons.UNKNOWN_TOKEN);
    }

    @Override
    public void retire(String token, String reason) {
        if (token == null) return;
        byToken.put(token, new Retired(reason, System.nanoTime()));
    }

    @Override
    public int live() {
        int n = 0;
        for (Object entry : byToken.values()) if (entry instanceof ResumableConnection) n++;
        return n;
    }

    /** Forgets retired tokens older than the window, then the oldest past the count; called now and then. */
    void sweep() {
        long now = System.nanoTime();
        int retired = 0;
        for (Iterator<Object> it = byToken.values().iterator(); it.hasNext(); ) {
            if (it.next() instanceof Retired r) {
                if (now - r.atNanos() > rememberNanos) it.remove();
                else retired++;
            }
        }
        for (Iterator<Object> it = byToken.values().iterator(); retired > maxRetired && it.hasNext(); ) {
            if (it.next() instanceof Retired) {
                it.remove();
                retired--;
            }
        }
    }
}
