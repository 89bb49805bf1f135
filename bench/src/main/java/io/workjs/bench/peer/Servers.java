package io.workjs.bench.peer;

import java.io.IOException;

/**
 * What a scenario runs against and measures: one server process ({@link ServerProcess}), or
 * the nodes of a cluster and their Redis ({@link Nodes}). CPU figures add up over the nodes.
 */
public interface Servers {

    ServerKind kind();

    /** The port that connection number {@code connection} of a scenario opens to. */
    int port(int connection);

    /** User plus system CPU time the server's processes used so far, in seconds. */
    double cpuSeconds() throws IOException;

    /** CPU seconds so far of the processes' threads named {@code name}, or NaN when they have none. */
    double threadCpuSeconds(String name) throws IOException;

    /** CPU seconds so far of the store the server uses (PostgreSQL, Redis), or NaN when it uses none. */
    double databaseCpuSeconds() throws IOException;

    /** What {@link #databaseCpuSeconds()} measures, for the report: "db" or "redis". */
    default String databaseLabel() {
        return "db";
    }
}
