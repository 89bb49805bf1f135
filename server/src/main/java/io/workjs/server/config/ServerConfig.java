package io.workjs.server.config;

import java.nio.file.Path;

/**
 * Every setting of one server, validated. Built by {@link ConfigLoader} from the site's CONF
 * file and the command line (which wins).
 *
 * @param site            the site directory (holds MAP)
 * @param host            address to listen on
 * @param port            TCP port; 0 picks a free one
 * @param origin          the site's public origin, e.g. {@code https://chat.example}; null means
 *                        the request's own scheme and host
 * @param maxMessageBytes largest text frame a client may send, in bytes (UTF-8)
 */
public record ServerConfig(Path site, String host, int port, String origin, int maxMessageBytes) {
    /** WorkJS's default port. */
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    /** Defaults for a site: what a site without CONF and options gets. */
    public static ServerConfig defaults(Path site) {
        return new ServerConfig(site, DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_MESSAGE_BYTES);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(site, host, port, origin, maxMessageBytes);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(site, host, port, origin, maxMessageBytes);
    }
}
