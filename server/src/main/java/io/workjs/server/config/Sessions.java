package io.workjs.server.config;

import java.util.List;

/**
 * Session cookie settings.
 *
 * @param secrets     HMAC keys: the first signs, all verify (so keys can rotate); empty means a
 *                    secret generated on first start and kept in the data folder
 * @param idleSeconds a session unused this long expires, in seconds
 * @param cookie      the cookie's name
 */
public record Sessions(List<String> secrets, long idleSeconds, String cookie) {
    public static final Sessions DEFAULTS = new Sessions(List.of(), 14L * 24 * 3600, "workjs_session");

    public Sessions {
        secrets = List.copyOf(secrets);
    }
}
