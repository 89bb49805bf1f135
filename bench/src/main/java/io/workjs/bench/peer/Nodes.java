package io.workjs.bench.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one server under test in the cluster scenario: {@link ServerKind#nodes()}
 * nodes and, for a kind that {@link ServerKind#usesRedis() uses Redis}, a fresh Redis that
 * they share. Connection {@code i} goes to node {@code i % nodes}, so a scenario's connections
 * alternate between the nodes' ports.
 */
public final class Nodes implements Servers, AutoCloseable {

    private final ServerKind kind;
    private final RedisProcess redis;   // or null
    private final List<ServerProcess> nodes = new ArrayList<>();

    private Nodes(ServerKind kind, RedisProcess redis) {
        this.kind = kind;
        this.redis = redis;
    }

    /** Starts Redis when the kind uses it, then the nodes, named n1, n2, ...; returns before they listen. */
    public static Nodes launch(ServerKind kind, Path root, List<String> jvmOptions) throws Exception {
        Nodes n = new Nodes(kind, kind.usesRedis() ? RedisProcess.start() : null);
        try {
            for (int i = 1; i <= kind.nodes(); i++) {
                n.nodes.add(ServerProcess.launch(kind, root, jvmOptions, null,
                        n.redis == null ? null : n.redis.url(), n.redis == null ? null : "n" + i));
            }
            return n;
        } catch (Exception e) {
            n.close();
            throw e;
        }
    }

    /** Waits until every node listens; fails with the first silent node's last output. */
    public void awaitListening(Duration timeout) throws Exception {
        for (ServerProcess node : nodes) {
            node.awaitListening(timeout);
        }
    }

    /** The nodes, in the order connections are spread over them. */
    public List<ServerProcess> nodes() {
        return nodes;
    }

    @Override public ServerKind kind() {
        return kind;
    }

    @Override public int port(int connection) {
        return nodes.get(connection % nodes.size()).port();
    }

    @Override public double cpuSeconds() throws IOException {
        double total = 0;
        for (ServerProcess node : nodes) {
            total += node.cpuSeconds();
        }
        return total;
    }

    @Override public double threadCpuSeconds(java.util.function.Predicate<String> names) throws IOException {
        double total = Double.NaN;
        for (ServerProcess node : nodes) {
            double seconds = node.threadCpuSeconds(names);
            if (!Double.isNaN(seconds)) {
                total = Double.isNaN(total) ? seconds : total + seconds;
            }
        }
        return total;
    }

    @Override public double compilerCpuSeconds() throws IOException {
        double total = Double.NaN;
        for (ServerProcess node : nodes) {
            double seconds = node.compilerCpuSeconds();
            if (!Double.isNaN(seconds)) {
                total = Double.isNaN(total) ? seconds : total + seconds;
            }
        }
        return total;
    }

    /** Redis's CPU seconds so far, or NaN without Redis. */
    @Override public double databaseCpuSeconds() throws IOException {
        return redis == null ? Double.NaN : redis.cpuSeconds();
    }

    @Override public String databaseLabel() {
        return "redis";
    }

    /** Stops the nodes (each closes its connections and says goodbye to Redis), then Redis. */
    @Override public void close() throws InterruptedException {
        try {
            for (ServerProcess node : nodes) {
                node.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
