package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.load.ResumeWire;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A resume storm: many resumable connections, each in its group with one call answered, are
 * cut at once (sockets dropped without a close frame, as a network blip does), and every client
 * comes straight back with its token. Measured: the time from the cut until every one is
 * resumed, and how many were.
 */
public final class ResumeStorm {
    private static final int MAX_PENDING_HANDSHAKES = 256;

    private ResumeStorm() {
    }

    public static Result run(ServerProcess server, Client client, int count) throws Exception {
        Result result = Result.of("resume-storm-" + count, server.kind().label());
        try (Fleet fleet = Fleet.openAnswered(client, server, count, i -> "storm" + (i % 10))) {
            if (fleet.unanswered() > 0) {
                return Result.failed(result.scenario(), result.server(), fleet.unanswered() + " of " + count + " got no answer");
            }
            List<Conn> before = fleet.conns();
            long cut = System.nanoTime();
            fleet.cutAll();
            ResumeWire wire = (ResumeWire) server.kind().wire();
            Semaphore pending = new Semaphore(MAX_PENDING_HANDSHAKES);
            List<CompletableFuture<Conn>> back = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Conn old = before.get(i);
                if (!pending.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("resumes stalled after " + i + " of " + count);
                }
                CompletableFuture<Conn> f = client.connect(server.port(), wire, "storm" + (i % 10), new Listener() { },
                        wire.hello(old.token(), old.received()));
                f.whenComplete((c, e) -> pending.release());
                back.add(f);
            }
            int resumed = 0;
            List<Conn> after = new ArrayList<>(count);
            for (CompletableFuture<Conn> f : back) {
                Conn c = f.get(120, TimeUnit.SECONDS);
                after.add(c);
                if (c.resumed()) resumed++;
            }
            long all = System.nanoTime();
            result.put("resumed", resumed);
            result.put("all resumed ms", Window.round((all - cut) / 1e6));
            result.put("per resume µs", Window.round((all - cut) / 1e3 / count));
            for (Conn c : after) c.close();
            if (resumed != count) {
                return Result.failed(result.scenario(), result.server(), (count - resumed) + " of " + count + " were not resumed");
            }
        }
        return result;
    }
}
