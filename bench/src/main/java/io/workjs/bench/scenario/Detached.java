package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;

/**
 * Detached connections: resumable connections whose sockets dropped and whose clients have
 * not come back (yet). Each answers one call first, so its {@code init()} ran and it sits in its
 * group; then every socket is cut. Measured: heap after a full GC per detached connection,
 * against the same server with none, while they wait out the window (bench/site/CONF sets it
 * long enough).
 */
public final class Detached {
    private Detached() {
    }

    public static Result run(ServerProcess server, Client client, int count, long[] baseline) throws Exception {
        Result result = Result.of("detached-" + count, server.kind().label());
        Fleet fleet = Fleet.openAnswered(client, server, count, i -> "detached");
        if (fleet.unanswered() > 0) {
            return Result.failed(result.scenario(), result.server(), fleet.unanswered() + " of " + count + " got no answer");
        }
        fleet.cutAll();
        // The server hears of each drop on its I/O threads and detaches it on the loop: give it a
        // moment, then read until two readings agree (as the idle baseline does).
        long[] now = Idle.baseline(server);
        result.put("heap KB/conn", Window.round((now[0] - baseline[0]) / 1024.0 / count));
        result.put("RSS KB/conn", Window.round((now[1] - baseline[1]) / 1024.0 / count));
        result.put("heap MB", Window.round(now[0] / 1048576.0));
        return result;
    }
}
