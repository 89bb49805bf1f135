package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Start-up: from the moment the process was launched to the first answered call, then full RPC
 * load from that moment on, to see how long the JIT takes to reach 90% of the steady rate.
 */
public final class Startup {

    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final long SAMPLE_MILLIS = 250;

    private Startup() {
    }

    public static Result run(ServerProcess server, Client client, Settings settings) throws Exception {
        Result result = Result.of("startup", server.kind().label());
        double firstCallMs = firstAnsweredCall(server, client);
        result.put("first call ms", Math.round(firstCallMs));

        List<long[]> samples = new ArrayList<>(); // {ms since launch, calls so far}
        try (RpcLoad load = RpcLoad.start(client, server, settings.rpcConnections(), settings.rpcDepth())) {
            long end = System.nanoTime() + settings.startupWindow().toNanos();
            while (System.nanoTime() < end) {
                samples.add(new long[] {(System.nanoTime() - server.launchedNanos()) / 1_000_000, load.calls()});
                Thread.sleep(SAMPLE_MILLIS);
            }
        }
        // rate over the second that ends at each sample
        int perSecond = (int) (1000 / SAMPLE_MILLIS);
        List<double[]> rates = new ArrayList<>(); // {ms since launch, calls/s}
        for (int i = perSecond; i < samples.size(); i++) {
            long[] now = samples.get(i);
            long[] before = samples.get(i - perSecond);
            rates.add(new double[] {now[0], (now[1] - before[1]) * 1000.0 / (now[0] - before[0])});
        }
        if (rates.isEmpty()) {
            return result.put("90% of steady ms", Double.NaN);
        }
        List<Double> tail = new ArrayList<>();
        for (double[] r : rates.subList(rates.size() * 2 / 3, rates.size())) {
            tail.add(r[1]);
        }
        tail.sort(null);
        double steady = tail.get(tail.size() / 2);
        double warm = Double.NaN;
        for (double[] r : rates) {
            if (r[1] >= 0.9 * steady) {
                warm = r[0];
                break;
            }
        }
        return result.put("90% of steady ms", warm).put("steady calls/s", Math.round(steady));
    }

    /** Knocks every 5 ms until a connection opens and answers one call; ms since launch. */
    private static double firstAnsweredCall(ServerProcess server, Client client) throws Exception {
        long deadline = server.launchedNanos() + GIVE_UP.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            CompletableFuture<Long> answered = new CompletableFuture<>();
            Listener once = new Listener() {
                @Override public void ready(Conn conn) {
                    conn.send(conn.wire().call("echo", RpcLoad.PAYLOAD, 1));
                }

                @Override public void reply(Conn conn, long seq) {
                    answered.complete(System.nanoTime());
                    conn.close();
                }
            };
            try {
                client.connect(server.port(), server.kind().wire(), "startup", once).get(10, TimeUnit.SECONDS);
                long at = answered.get(30, TimeUnit.SECONDS);
                return (at - server.launchedNanos()) / 1e6;
            } catch (java.util.concurrent.ExecutionException e) {
                last = e;
                Thread.sleep(5); // the port is not open yet: knock again
            }
        }
        throw new IllegalStateException(server.kind().label() + " answered no call within " + GIVE_UP, last);
    }
}
