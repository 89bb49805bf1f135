package io.workjs.bench.peer;

import java.io.IOException;
import java.util.function.Predicate;

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

    /**
     * CPU seconds so far of the processes' threads whose names {@code names} accepts (Linux
     * truncates thread names to 15 characters), or NaN when they have none.
     */
    double threadCpuSeconds(Predicate<String> names) throws IOException;

    /** CPU seconds so far of the processes' JIT compiler threads ({@link #COMPILERS}), never less than before; NaN without any. */
    double compilerCpuSeconds() throws IOException;

    /** The threads of the JVMs' JIT compilers: C1, C2 and Graal compiling JavaScript (Truffle). */
    Predicate<String> COMPILERS = name -> name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
            || name.startsWith("TruffleCompiler") || name.startsWith("JVMCI");

    /** CPU seconds so far of the store the server uses (PostgreSQL, Redis), or NaN when it uses none. */
    double databaseCpuSeconds() throws IOException;

    /** What {@link #databaseCpuSeconds()} measures, for the report: "db" or "redis". */
    default String databaseLabel() {
        return "db";
    }
}
