package io.workjs.server.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session cookie's value, {@code <id>.<signature>}: a random 128-bit id and the HMAC-SHA256
 * of the id, both base64url. The first key signs; every key verifies, so keys can rotate.
 */
public final class SessionCookie {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 22 characters of id, a dot, 43 of signature. */
    private static final int LENGTH = 22 + 1 + 43;

    private final List<byte[]> keys;

    /** @param keys HMAC keys, the signing one first; at least one */
    public SessionCookie(List<byte[]> keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("a session cookie needs at least one key");
        this.keys = keys.stream().map(byte[]::clone).toList();
    }

    /** Keys from CONF's sessionSecrets, as UTF-8 bytes. */
    public static SessionCookie of(List<String> secrets) {
        return new SessionCookie(secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** A new random session id. */
    public static String newId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return B64.encodeToString(id);
    }

    /** The cookie value for an id, signed with the first key. */
    public String sign(String id) {
        return id + "." + B64.encodeToString(mac(keys.getFirst(), id));
    }

    /** The id of a cookie value signed by any key, or null for anything else (never throws). */
    public String verify(String value) {
        if (value == null || value.length() != LENGTH || value.charAt(22) != '.') return null;
        String id = value.substring(0, 22);
        // Compare the text, not decoded bytes: base64 decoders ignore the last character's spare
        // bits, and one signature must have exactly one spelling.
        byte[] signature = value.substring(23).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (byte[] key : keys) ok |= MessageDigest.isEqual(B64.encodeToString(mac(key, id)).getBytes(StandardCharsets.US_ASCII), signature);
        return ok ? id : null;
    }

    private static byte[] mac(byte[] key, String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(id.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
