package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import org.HdrHistogram.Histogram;

/** RPC at full speed: 100 connections with 8 calls outstanding each (closed loop). */
public final class Rpc {

    private Rpc() {
    }

    public static Result run(ServerProcess server, Client client, Settings settings) throws Exception {
        Result result = Result.of("rpc", server.kind().label());
        try (RpcLoad load = RpcLoad.start(client, server, settings.rpcConnections(), settings.rpcDepth())) {
            Thread.sleep(settings.rpcWarmup().toMillis());
            load.takeLatency();
            long before = load.calls();
            Window window = Window.start(server);
            Thread.sleep(settings.measure().toMillis());
            long calls = load.calls() - before;
            double seconds = window.seconds();
            Histogram latency = load.takeLatency();
            if (load.failures() > 0) {
                return Result.failed("rpc", server.kind().label(), load.failures() + " call(s) failed, the first: " + load.firstFailure());
            }
            if (calls == 0) {
                return Result.failed("rpc", server.kind().label(), "no call was answered in the measured window");
            }
            result.put("calls/s", Math.round(calls / seconds));
            Latency.add(result, latency);
            window.addCpu(result);
            window.addJsCostPerCall(result, calls);
            if (load.openConnections() != settings.rpcConnections()) {
                return Result.failed("rpc", server.kind().label(), "only " + load.openConnections() + " of "
                        + settings.rpcConnections() + " connections stayed open");
            }
        }
        return result;
    }
}
