package io.workjs.server.config;

import io.lettuce.core.RedisURI;

/**
 * CONF {@code redis} (or {@code --redis}): the Redis a cluster's nodes share, as
 * {@code redis://[user:password@]host[:port][/database]} or {@code rediss://} for TLS. The
 * password never appears in {@link #display()}, which start-up logs.
 *
 * @param uri     the parsed address, as the Redis client takes it
 * @param display the URL with any password masked
 */
public record RedisUrl(RedisURI uri, String display) {

    @Override
    public String toString() {
        return display;
    }

    /** Parses {@code text}, from {@code where} (e.g. {@code CONF "redis"}); throws a {@link ConfigException} naming it. */
    public static RedisUrl parse(String text, String where) {
        String trimmed = text.strip();
        // Lettuce reads redis://PASSWORD@host as a password too, not only redis://user:PASSWORD@host.
        String masked = trimmed.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*:)[^@/]*@", "$1***@")
                .replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^:@/]+@", "$1***@");
        if (!trimmed.startsWith("redis://") && !trimmed.startsWith("rediss://")) {
            throw new ConfigException(where + ": must be redis://host:port (or rediss:// for TLS), got \"" + masked + "\"");
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(trimmed);
        } catch (RuntimeException e) {
            throw new ConfigException(where + ": not a valid Redis URL: \"" + masked + "\" (" + e.getMessage() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigException(where + ": needs a host, as in redis://127.0.0.1:6379, got \"" + masked + "\"");
        }
        return new RedisUrl(uri, masked);
    }
}
