package io.workjs.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * CONF {@code db_url} (or {@code --db-url}): a PostgreSQL database, written as WorkJS users write
 * it ({@code postgres://user:pass@host:port/db}, {@code postgresql://...}, WorkJS's own
 * {@code pg://user@host/db}) or as a JDBC URL ({@code jdbc:postgresql://...}), which is taken as
 * it is. The password never appears in {@link #display()}, which start-up logs.
 *
 * @param jdbc     the JDBC URL, without user and password for the URL forms
 * @param user     the user, or null (then the JDBC URL's own, or the driver's default)
 * @param password the password, or null
 * @param display  the URL with any password masked, for logs and messages
 */
public record DatabaseUrl(String jdbc, String user, String password, String display) {
    private static final int DEFAULT_PORT = 5432;

    @Override
    public String toString() {
        return display;
    }

    /** Parses {@code text}, from {@code where} (e.g. {@code CONF "db_url"}); throws a {@link ConfigException} naming it. */
    public static DatabaseUrl parse(String text, String where) {
        String trimmed = text.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, null, null, trimmed.replaceAll("(?i)(password=)[^&]*", "$1***"));
        }
        int colon = trimmed.indexOf("://");
        String scheme = colon < 0 ? "" : trimmed.substring(0, colon);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql") && !scheme.equals("pg")) {
            throw new ConfigException(where + ": must be postgres://user:password@host:port/database (or postgresql://, pg://, "
                    + "jdbc:postgresql://), got \"" + masked(trimmed) + "\"");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new ConfigException(where + ": not a valid URL: " + masked(trimmed) + " (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        String path = uri.getRawPath();
        if (host == null || path == null || path.length() < 2) {
            throw new ConfigException(where + ": needs a host and a database name, as in postgres://user@localhost/mydb, got \""
                    + masked(trimmed) + "\"");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int split = info.indexOf(':');
            user = decode(split < 0 ? info : info.substring(0, split));
            if (split >= 0) password = decode(info.substring(split + 1));
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbc = "jdbc:postgresql://" + hostPart + ":" + port + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, password, masked(trimmed));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL with the password of its user part replaced by {@code ***}. */
    private static String masked(String url) {
        return url.replaceFirst("^([a-z]+://[^:/@]*):[^@/]*@", "$1:***@");
    }
}
