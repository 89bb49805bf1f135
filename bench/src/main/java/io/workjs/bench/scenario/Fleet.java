package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.ServerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Many connections to one server, opened with a bounded number of handshakes in flight. */
final class Fleet implements AutoCloseable {

    private static final int MAX_PENDING_HANDSHAKES = 256;

    private final List<Conn> conns;

    private Fleet(List<Conn> conns) {
        this.conns = conns;
    }

    static Fleet open(Client client, ServerProcess server, int count,
                      IntFunction<String> group, IntFunction<Listener> listener) throws Exception {
        Semaphore pending = new Semaphore(MAX_PENDING_HANDSHAKES);
        List<CompletableFuture<Conn>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!pending.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("handshakes stalled after " + i + " of " + count + " connections");
            }
            CompletableFuture<Conn> f = client.connect(server.port(), server.kind().wire(), group.apply(i), listener.apply(i));
            f.whenComplete((c, e) -> pending.release());
            futures.add(f);
        }
        List<Conn> conns = new ArrayList<>(count);
        for (CompletableFuture<Conn> f : futures) {
            conns.add(f.get(60, TimeUnit.SECONDS));
        }
        return new Fleet(conns);
    }

    List<Conn> conns() {
        return conns;
    }

    long openCount() {
        return conns.stream().filter(Conn::isOpen).count();
    }

    @Override public void close() throws Exception {
        List<CompletableFuture<Void>> closing = new ArrayList<>(conns.size());
        for (Conn c : conns) {
            closing.add(c.close());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
}
