package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.peer.Servers;
import io.workjs.bench.report.Result;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/** RPC at full speed: 100 connections with 8 calls outstanding each (closed loop). */
public final class Rpc {

    private Rpc() {
    }

    public static Result run(ServerProcess server, Client client, Settings settings) throws Exception {
        try (RpcLoad load = RpcLoad.start(client, server, settings.rpcConnections(), settings.rpcDepth())) {
            return measure("rpc", server, settings, settings.rpcConnections(), settings.rpcWarmup(), load);
        }
    }

    /**
     * The same closed loop against one launch of the cluster scenario (bench/README.md): its
     * connections alternate between the nodes; after the long warm-up, as the first load after
     * start-up. Every call changes the connection's {@code this.calls}, so a WorkJS node on Redis
     * also sends the member's state (its this.group snapshot) to Redis after every call.
     */
    public static Result cluster(Servers servers, Client client, Settings settings) throws Exception {
        try (RpcLoad load = RpcLoad.start(client, servers, settings.rpcConnections(), settings.rpcDepth())) {
            return measure("cluster-rpc", servers, settings, settings.rpcConnections(), settings.rpcWarmup(), load);
        }
    }

    /**
     * Measures a closed-loop load already started: {@code warmup} (longer while the JITs still
     * compile: {@link Warmup}), then one window of
     * {@code settings.measure()}; calls/s, latency, CPU, and failures for a failed call, no
     * answered call, or a connection lost. Scenario {@code name} of {@code connections} connections.
     */
    static Result measure(String name, Servers server, Settings settings, int connections, Duration warmup,
                          RpcLoad load) throws Exception {
        String label = server.kind().label();
        Result result = Result.of(name, label);
        double warmed = Warmup.run(server, warmup, settings.smoke());
        load.takeLatency();
        long before = load.calls();
        Window window = Window.start(server);
        Thread.sleep(settings.measure().toMillis());
        long calls = load.calls() - before;
        double seconds = window.seconds();
        Histogram latency = load.takeLatency();
        if (load.failures() > 0) {
            return Result.failed(name, label, load.failures() + " call(s) failed, the first: " + load.firstFailure());
        }
        if (calls == 0) {
            return Result.failed(name, label, "no call was answered in the measured window");
        }
        result.put("calls/s", Math.round(calls / seconds));
        result.put("warm-up s", warmed);
        Latency.add(result, latency);
        window.addCpu(result);
        window.addJsCostPerCall(result, calls);
        window.addCpuPer(result, calls, "call");
        if (load.openConnections() != connections) {
            return Result.failed(name, label, "only " + load.openConnections() + " of " + connections + " connections stayed open");
        }
        return result;
    }
}
