package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Churn: connections that open, pass {@code init()}, answer one call and close, again and
 * again, with a fixed number in progress at once. The answered call is the proof that the
 * server accepted the connection (WorkJS sends nothing on accept).
 */
public final class Churn {

    private Churn() {
    }

    public static Result run(ServerProcess server, Client client, Settings settings) throws Exception {
        Result result = Result.of("churn", server.kind().label());
        LongAdder cycles = new LongAdder();
        LongAdder failures = new LongAdder();
        CountDownLatch stopped = new CountDownLatch(settings.churnConcurrency());
        Cycle cycle = new Cycle(server, client, cycles, failures, stopped);
        for (int i = 0; i < settings.churnConcurrency(); i++) {
            cycle.next();
        }
        Thread.sleep(settings.warmup().toMillis());
        long before = cycles.sum();
        long failedBefore = failures.sum();
        Window window = Window.start(server);
        Thread.sleep(settings.measure().toMillis());
        double seconds = window.seconds();
        result.put("connections/s", Math.round((cycles.sum() - before) / seconds));
        result.put("failed", failures.sum() - failedBefore);
        window.addCpu(result);
        cycle.running = false;
        if (!stopped.await(60, TimeUnit.SECONDS)) {
            return Result.failed("churn", server.kind().label(), "connections did not finish closing");
        }
        return result;
    }

    private static final class Cycle {
        private final ServerProcess server;
        private final Client client;
        private final LongAdder cycles;
        private final LongAdder failures;
        private final CountDownLatch stopped;
        private volatile boolean running = true;

        Cycle(ServerProcess server, Client client, LongAdder cycles, LongAdder failures, CountDownLatch stopped) {
            this.server = server;
            this.client = client;
            this.cycles = cycles;
            this.failures = failures;
            this.stopped = stopped;
        }

        void next() {
            if (!running) {
                stopped.countDown();
                return;
            }
            Attempt attempt = new Attempt();
            client.connect(server.port(), server.kind().wire(), "churn", attempt)
                    .whenComplete((conn, error) -> {
                        if (error != null) {
                            attempt.finish(false);
                        }
                    });
        }

        /** One connection's life; it ends exactly once, counted as a cycle or a failure. */
        private final class Attempt implements Listener {
            private final AtomicBoolean finished = new AtomicBoolean();
            private volatile boolean answered;

            @Override public void ready(Conn conn) {
                conn.send(conn.wire().call("echo", "1", 1));
            }

            @Override public void reply(Conn conn, long seq) {
                answered = true;
                conn.close();
            }

            @Override public void closed(Conn conn) {
                finish(answered);
            }

            void finish(boolean ok) {
                if (finished.compareAndSet(false, true)) {
                    (ok ? cycles : failures).increment();
                    next();
                }
            }
        }
    }
}
