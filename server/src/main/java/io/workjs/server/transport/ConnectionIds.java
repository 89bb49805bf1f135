package io.workjs.server.transport;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Connection ids ({@code this.id}): 128 random bits from a {@link SecureRandom}, written as 22
 * characters of base64url ({@code A-Z a-z 0-9 - _}). Unguessable, so knowing one id tells
 * nothing about another, and unique across processes and restarts without coordination, which
 * a cluster and resumable connections need. docs/PROTOCOL.md documents the format.
 */
final class ConnectionIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ConnectionIds() {
    }

    static String next() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return B64.encodeToString(id);
    }
}
