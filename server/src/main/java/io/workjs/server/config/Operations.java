package io.workjs.server.config;

/**
 * How the server is run and watched (docs/OPERATIONS.md).
 *
 * @param development  CONF {@code servermode: "development"} (WorkJS's key, any case) or {@code --dev}:
 *                     the site folder is watched and what changes is reloaded; production, the
 *                     default, watches nothing
 * @param adminPort    CONF {@code adminPort} or {@code --admin-port}: the admin listener's port
 *                     (0 picks a free one); null for none, the default
 * @param adminHost    CONF {@code adminHost}: the admin listener's address
 * @param drainSeconds CONF {@code drainSeconds}: how long a drain spreads its closes over
 * @param jsonLogs     CONF {@code logFormat: "json"} or {@code --log-format json}: one JSON object per log line
 */
public record Operations(boolean development, Integer adminPort, String adminHost, int drainSeconds, boolean jsonLogs) {
    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    public static final int DEFAULT_DRAIN_SECONDS = 10;
    public static final int MAX_DRAIN_SECONDS = 3600;
    public static final Operations DEFAULTS = new Operations(false, null, DEFAULT_ADMIN_HOST, DEFAULT_DRAIN_SECONDS, false);

    /** WorkJS's {@code servermode} values, in any case: true for development. */
    public static boolean development(String mode, String where) {
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "development" -> true;
            case "production" -> false;
            default -> throw new ConfigException(where + ": \"development\" or \"production\", got \"" + mode + "\"");
        };
    }

    /** {@code human} (the default) or {@code json}: true for json. */
    public static boolean jsonLogs(String format, String where) {
        return switch (format) {
            case "json" -> true;
            case "human" -> false;
            default -> throw new ConfigException(where + ": \"human\" or \"json\", got \"" + format + "\"");
        };
    }

    public Operations withDevelopment(boolean on) {
        return new Operations(on, adminPort, adminHost, drainSeconds, jsonLogs);
    }

    public Operations withAdminPort(Integer port) {
        return new Operations(development, port, adminHost, drainSeconds, jsonLogs);
    }

    public Operations withAdminHost(String host) {
        return new Operations(development, adminPort, host, drainSeconds, jsonLogs);
    }

    public Operations withDrainSeconds(int seconds) {
        return new Operations(development, adminPort, adminHost, seconds, jsonLogs);
    }

    public Operations withJsonLogs(boolean on) {
        return new Operations(development, adminPort, adminHost, drainSeconds, on);
    }
}
