package io.workjs.server.security;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Stops cross-site WebSocket hijacking: a browser sends its page's {@code Origin} with every
 * upgrade, and cookies with it whatever that page is, so only pages of this site (CONF
 * {@code origin}, else the request's own scheme and Host) and of CONF {@code origins} may open one.
 * A request without {@code Origin} is not from a browser and passes (see docs/SECURITY.md).
 */
public final class OriginCheck {
    private final String site;
    private final Set<String> allowed = new HashSet<>();

    /** {@code origin} may be null: the site is then whatever Host the request names. */
    public OriginCheck(String origin, List<String> origins) {
        this.site = origin == null ? null : normalise(origin);
        for (String o : origins) allowed.add(normalise(o));
    }

    /** The refused origin as the client sent it, or null when the upgrade may go on. */
    public String refused(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null) return null;
        String wanted = normalise(origin);
        if (wanted == null) return origin;
        if (allowed.contains(wanted) || wanted.equals(site)) return null;
        if (site == null) {
            String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
            if (host != null && wanted.equals(normalise(exchange.getRequestScheme() + "://" + host))) return null;
        }
        return origin;
    }

    /**
     * {@code scheme://host:port} in lower case with the scheme's default port written out, so that
     * {@code HTTPS://Chat.Example} and {@code https://chat.example:443} compare equal; null when
     * the text is not an origin (which includes the {@code null} of sandboxed and file pages).
     * The one reading of an origin, for CONF and for requests alike.
     */
    public static String normalise(String origin) {
        try {
            URI uri = new URI(origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawUserInfo() != null) return null;
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort() : switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
            if (port < 0) return null;
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
