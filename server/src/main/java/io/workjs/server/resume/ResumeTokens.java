package io.workjs.server.resume;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Resume tokens: a prefix naming this server process (48 random bits drawn at start), a dot,
 * and 128 random bits, all base64url. The random part is the secret; the prefix only tells a
 * token of an earlier run of the server ({@code SERVER_RESTARTED}) from one never issued. A
 * token is not derived from anything: not the connection id, not the session.
 */
final class ResumeTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** Longest token accepted for a lookup: anything longer is not one of ours. */
    static final int MAX_LENGTH = 64;

    private final String prefix;

    ResumeTokens() {
        prefix = random(6) + ".";
    }

    /** A new token of this process. */
    String next() {
        return prefix + random(16);
    }

    /** True when the token was issued by this process (whether or not it is still good). */
    boolean ours(String token) {
        return token.startsWith(prefix);
    }

    /** True when the text has the form of a token of some run of this server. */
    static boolean wellFormed(String token) {
        return token.length() <= MAX_LENGTH && token.matches("[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]{22}");
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
