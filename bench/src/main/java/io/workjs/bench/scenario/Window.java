package io.workjs.bench.scenario;

import com.sun.management.OperatingSystemMXBean;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * A measured stretch of time and the CPU that the server and the load generator used in it,
 * as a share of one core: the calibration that shows which side was the bottleneck.
 */
final class Window {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ServerProcess server;
    private final long startNanos;
    private final double serverCpu;
    private final long clientCpuNanos;

    private Window(ServerProcess server) throws IOException {
        this.server = server;
        this.serverCpu = server.cpuSeconds();
        this.clientCpuNanos = OS.getProcessCpuTime();
        this.startNanos = System.nanoTime();
    }

    static Window start(ServerProcess server) throws IOException {
        return new Window(server);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Adds "server CPU %" and "client CPU %" (100 = one core busy) for the window so far. */
    void addCpu(Result result) throws IOException {
        double wall = seconds();
        result.put("server CPU %", round(100 * (server.cpuSeconds() - serverCpu) / wall));
        result.put("client CPU %", round(100 * (OS.getProcessCpuTime() - clientCpuNanos) / 1e9 / wall));
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
