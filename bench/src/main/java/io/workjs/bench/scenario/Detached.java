package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        CountDownLatch answered = new CountDownLatch(count);
        Listener once = new Listener() {
            @Override public void ready(Conn conn) {
                conn.send(conn.wire().call("echo", "1", 1));
            }

            @Override public void reply(Conn conn, long seq) {
                answered.countDown();
            }
        };
        Fleet fleet = Fleet.open(client, server, count, i -> "detached", i -> once);
        if (!answered.await(120, TimeUnit.SECONDS)) {
            return Result.failed(result.scenario(), result.server(), answered.getCount() + " of " + count + " got no answer");
        }
        List<CompletableFuture<Void>> gone = new ArrayList<>(count);
        for (Conn c : fleet.conns()) gone.add(c.cut());
        CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        // The server hears of each drop on its I/O threads and detaches it on the loop: give it a
        // moment, then read until two readings agree (as the idle baseline does).
        long[] now = Idle.baseline(server);
        result.put("heap KB/conn", Window.round((now[0] - baseline[0]) / 1024.0 / count));
        result.put("RSS KB/conn", Window.round((now[1] - baseline[1]) / 1024.0 / count));
        result.put("heap MB", Window.round(now[0] / 1048576.0));
        return result;
    }
}
