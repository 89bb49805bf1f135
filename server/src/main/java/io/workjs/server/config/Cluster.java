package io.workjs.server.config;

/**
 * Cluster mode: several server processes, one site, sharing groups, sessions and resumable
 * connections through one Redis (docs/CLUSTER.md). Without it a server runs alone, as always.
 *
 * @param redis    CONF {@code redis} or {@code --redis}; null while only a node name is known
 *                 (CONF's {@code nodeName}, for a {@code --redis} given on the command line)
 * @param nodeName CONF {@code nodeName} or {@code --node-name}: this node's name among the
 *                 others, unique while it runs; null for the host name and port
 */
public record Cluster(RedisUrl redis, String nodeName) {
    /** Longest node name: it is part of Redis keys and log lines. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Validates a node name from any source. */
    public static String nodeName(String name, String where) {
        if (!name.matches("[A-Za-z0-9._:-]{1," + MAX_NAME_LENGTH + "}")) {
            throw new ConfigException(where + ": a node name is 1 to " + MAX_NAME_LENGTH
                    + " letters, digits, '.', '_', ':' or '-', got \"" + name + "\"");
        }
        return name;
    }

    /** True when a Redis is configured: the server runs as a node of a cluster. */
    public boolean on() {
        return redis != null;
    }

    public Cluster withRedis(RedisUrl url) {
        return new Cluster(url, nodeName);
    }

    public Cluster withNodeName(String name) {
        return new Cluster(redis, name);
    }
}
