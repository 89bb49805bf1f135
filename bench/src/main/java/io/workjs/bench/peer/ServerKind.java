package io.workjs.bench.peer;

import io.workjs.bench.load.ResumeWire;
import io.workjs.bench.load.SocketIoWire;
import io.workjs.bench.load.WorkWire;
import io.workjs.bench.load.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The servers under test (bench/README.md), each with its launch command, wire format and the
 * scenario families it runs (start-up runs on all but those of the cluster scenario only).
 */
public enum ServerKind {
    /** In the cluster scenario, the same server alone: the single-node figure a cluster is held to. */
    WORKJS("workjs", new WorkWire(), Set.of("rpc", "fanout", "idle", "churn", "db", "cluster")),
    /** The same WorkJS server, its clients on resumable connections: what resumption costs. */
    WORKJS_RESUME("workjs-resume", new ResumeWire(), Set.of("rpc", "fanout", "idle", "churn", "resume")),
    /** The same WorkJS server with its admin listener on and /metrics scraped every second: what the metrics cost. */
    WORKJS_METRICS("workjs-metrics", new WorkWire(), Set.of("rpc")),
    RAW("raw", new WorkWire(), Set.of("rpc", "fanout", "idle", "churn")),
    NODE_WS("node-ws", new WorkWire(), Set.of("rpc", "fanout", "idle", "churn")),
    SOCKETIO("socketio", new SocketIoWire(), Set.of("rpc", "fanout", "idle", "churn")),
    /** The same WorkJS server with {@code this.db} on PostgreSQL ({@code --db-url}): only the database differs from workjs. */
    WORKJS_PG("workjs-pg", new WorkWire(), Set.of("db")),
    /** node-ws with node-postgres on the same PostgreSQL. */
    NODE_WS_PG("node-ws-pg", new WorkWire(), Set.of("db")),
    /** One WorkJS node on Redis ({@code --redis}): what cluster mode costs a call, this.group's state report included. */
    WORKJS_REDIS("workjs-redis", new WorkWire(), Set.of("cluster")),
    /** Two WorkJS nodes on one Redis, the connections alternating between them. */
    WORKJS_CLUSTER("workjs-cluster", new WorkWire(), Set.of("cluster")),
    /** Two socket.io nodes with {@code @socket.io/redis-adapter} on one Redis. */
    SOCKETIO_CLUSTER("socketio-cluster", new SocketIoWire(), Set.of("cluster"));

    private final String label;
    private final Wire wire;
    private final Set<String> families;

    ServerKind(String label, Wire wire, Set<String> families) {
        this.label = label;
        this.wire = wire;
        this.families = families;
    }

    public String label() {
        return label;
    }

    public Wire wire() {
        return wire;
    }

    public boolean isJvm() {
        return isWorkjs() || this == RAW;
    }

    /** WorkJS itself, with plain or resumable clients, on PostgreSQL, or on Redis. */
    public boolean isWorkjs() {
        return this == WORKJS || this == WORKJS_RESUME || this == WORKJS_PG || this == WORKJS_REDIS || this == WORKJS_CLUSTER
                || this == WORKJS_METRICS;
    }

    /** Whether this server runs only the cluster scenario, on a Redis of its own ({@link RedisProcess}). */
    public boolean usesRedis() {
        return this == WORKJS_REDIS || this == WORKJS_CLUSTER || this == SOCKETIO_CLUSTER;
    }

    /** How many processes serve it: 2 for the clusters. */
    public int nodes() {
        return this == WORKJS_CLUSTER || this == SOCKETIO_CLUSTER ? 2 : 1;
    }

    /** Whether this server runs the scenario family ({@code rpc}, {@code fanout}, {@code idle}, {@code churn}, {@code resume}, {@code db}, {@code cluster}). */
    public boolean runs(String family) {
        return families.contains(family);
    }

    /** Whether this server needs the run's PostgreSQL ({@link PostgresProcess}), a database of its own there. */
    public boolean usesPostgres() {
        return this == WORKJS_PG || this == NODE_WS_PG;
    }

    /**
     * WorkJS's data folder under target/, so a run leaves nothing in the checkout; a folder per
     * node of a cluster (null: a server alone), since the embedded database is one per node.
     */
    static Path workjsData(Path root, String nodeName) {
        return root.resolve("bench/target/workjs-data" + (nodeName == null ? "" : "-" + nodeName));
    }

    /**
     * The command that starts this server on {@code port} from the repository {@code root};
     * {@code databaseUrl} is its PostgreSQL database when {@link #usesPostgres()}, else null;
     * {@code redisUrl} and {@code nodeName} make it a node of a cluster (both null: alone);
     * {@code adminPort} is workjs-metrics's admin listener.
     */
    List<String> command(Path root, int port, List<String> jvmOptions, String databaseUrl, String redisUrl, String nodeName,
                         int adminPort) throws IOException {
        String p = Integer.toString(port);
        List<String> cmd = new ArrayList<>();
        switch (this) {
            case WORKJS, WORKJS_RESUME, WORKJS_PG, WORKJS_REDIS, WORKJS_CLUSTER, WORKJS_METRICS -> {
                cmd.addAll(List.of(root.resolve("workjs").toString(), "--port", p, "--data", workjsData(root, nodeName).toString()));
                if (this == WORKJS_METRICS) cmd.addAll(List.of("--admin-port", Integer.toString(adminPort)));
                if (databaseUrl != null) cmd.addAll(List.of("--db-url", databaseUrl));
                if (redisUrl != null) cmd.addAll(List.of("--redis", redisUrl, "--node-name", nodeName));
                cmd.add(root.resolve("bench/site").toString());
            }
            case RAW -> {
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(jvmOptions);
                cmd.addAll(List.of("-cp", root.resolve("bench/target/workjs-bench.jar") + ":"
                        + root.resolve("bench/target/lib") + "/*",
                        "io.workjs.bench.raw.RawServer", "--port", p));
            }
            case NODE_WS, SOCKETIO, NODE_WS_PG -> {
                cmd.addAll(List.of("node", "--expose-gc",
                        root.resolve(this == SOCKETIO ? "bench/peers/socketio-server.js" : "bench/peers/ws-server.js").toString(),
                        "--port", p));
                // the same pool size as WorkJS's: bench/site/CONF's db_poolsize
                if (databaseUrl != null) cmd.addAll(List.of("--db-url", databaseUrl, "--db-pool", Integer.toString(dbPoolSize(root))));
            }
            case SOCKETIO_CLUSTER -> cmd.addAll(List.of("node", "--expose-gc",
                    root.resolve("bench/peers/socketio-cluster-server.js").toString(), "--port", p, "--redis", redisUrl));
        }
        return cmd;
    }

    /** {@code db_poolsize} of bench/site/CONF, or WorkJS's default of 10 when it has none. */
    public static int dbPoolSize(Path root) throws IOException {
        var conf = com.google.gson.JsonParser.parseString(Files.readString(root.resolve("bench/site/CONF"))).getAsJsonObject();
        return conf.has("db_poolsize") ? conf.get("db_poolsize").getAsInt() : 10;
    }

    public static ServerKind byLabel(String label) {
        for (ServerKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no server named '" + label + "'; known: workjs, workjs-resume, workjs-metrics, raw, node-ws, socketio, workjs-pg, node-ws-pg,"
                + " workjs-redis, workjs-cluster, socketio-cluster");
    }
}
