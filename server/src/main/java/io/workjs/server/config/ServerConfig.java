package io.workjs.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of one server, validated. Built by {@link ConfigLoader} from the site's CONF
 * file and the command line (which wins).
 *
 * @param site     the site directory (holds MAP)
 * @param host     address to listen on
 * @param port     TCP port; 0 picks a free one
 * @param origin   the site's public origin, e.g. {@code https://chat.example}; null means the
 *                 request's own scheme and host
 * @param origins  further origins whose pages may open WebSockets to this site
 * @param data     the folder for the server's own files (sessions, the generated secret)
 * @param limits   bounds on what one client may cost
 * @param sessions session cookie settings
 * @param database PostgreSQL for {@code this.db}; null for the embedded database in {@code data}
 * @param cluster  the Redis that makes this server a node of a cluster; null to run alone
 * @param ops      development mode, the admin listener, the drain and the log format
 */
public record ServerConfig(Path site, String host, int port, String origin, List<String> origins, Path data,
        Limits limits, Sessions sessions, DatabaseUrl database, Cluster cluster, Operations ops) {
    /** WorkJS's default port. */
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The data folder's default place, inside the site directory. */
    public static final String DEFAULT_DATA = ".workjs";

    public ServerConfig {
        origins = List.copyOf(origins);
    }

    /** Defaults for a site: what a site without CONF and options gets. */
    public static ServerConfig defaults(Path site) {
        return new ServerConfig(site, DEFAULT_HOST, DEFAULT_PORT, null, List.of(), site.resolve(DEFAULT_DATA),
                Limits.DEFAULTS, Sessions.DEFAULTS, null, null, Operations.DEFAULTS);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }

    public ServerConfig withData(Path data) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }

    public ServerConfig withDatabase(DatabaseUrl database) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }

    /** True when the server runs as a node of a cluster (CONF {@code redis} or {@code --redis}). */
    public boolean clustered() {
        return cluster != null && cluster.on();
    }

    public ServerConfig withCluster(Cluster cluster) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }

    public ServerConfig withOps(Operations ops) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }

    public ServerConfig withLimits(Limits limits) {
        return new ServerConfig(site, host, port, origin, origins, data, limits, sessions, database, cluster, ops);
    }
}
