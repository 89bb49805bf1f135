package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Many connections to one server (connection i to {@link Servers#port(int) port(i)}: a
 * cluster's nodes in turn), opened with a bounded number of handshakes in flight.
 */
final class Fleet implements AutoCloseable {

    private static final int MAX_PENDING_HANDSHAKES = 256;

    private final List<Conn> conns;
    private long unanswered;

    private Fleet(List<Conn> conns) {
        this.conns = conns;
    }

    /**
     * Opens {@code count} connections that each make one call and wait for its answer (so
     * init() ran and the connection is a member of its group), then waits up to 120 s for all
     * the answers; {@link #unanswered()} says how many never came.
     */
    static Fleet openAnswered(Client client, Servers server, int count, IntFunction<String> group) throws Exception {
        CountDownLatch answered = new CountDownLatch(count);
        Listener once = new Listener() {
            @Override public void ready(Conn conn) {
                conn.send(conn.wire().call("echo", "1", 1));
            }

            @Override public void reply(Conn conn, long seq) {
                answered.countDown();
            }
        };
        Fleet fleet = open(client, server, count, group, i -> once);
        answered.await(120, TimeUnit.SECONDS);
        fleet.unanswered = answered.getCount();
        return fleet;
    }

    /** Connections of {@link #openAnswered} whose call got no answer in time. */
    long unanswered() {
        return unanswered;
    }

    /** Drops every connection's socket without a close frame, as a network blip does, and waits until all are gone. */
    void cutAll() throws Exception {
        List<CompletableFuture<Void>> gone = new ArrayList<>(conns.size());
        for (Conn c : conns) gone.add(c.cut());
        try {
            CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw stalled(gone, "were cut");
        }
    }

    static Fleet open(Client client, Servers server, int count,
                      IntFunction<String> group, IntFunction<Listener> listener) throws Exception {
        Semaphore pending = new Semaphore(MAX_PENDING_HANDSHAKES);
        List<CompletableFuture<Conn>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!pending.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("handshakes stalled after " + i + " of " + count + " connections");
            }
            CompletableFuture<Conn> f = client.connect(server.port(i), server.kind().wire(), group.apply(i), listener.apply(i));
            f.whenComplete((c, e) -> pending.release());
            futures.add(f);
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw stalled(futures, "opened");
        }
        List<Conn> conns = new ArrayList<>(count);
        for (CompletableFuture<Conn> f : futures) conns.add(f.get());
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
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            StringBuilder sockets = new StringBuilder();
            for (int i = 0; i < conns.size() && sockets.length() < 2000; i++) {
                if (!closing.get(i).isDone()) sockets.append("; ").append(TcpStates.of(conns.get(i).localPort()));
            }
            throw stalled(closing, "closed", sockets.toString());
        }
    }

    /** Which step stalled, and for how many: a bare TimeoutException in a report says neither. */
    private static IllegalStateException stalled(List<? extends CompletableFuture<?>> futures, String step) {
        return stalled(futures, step, "");
    }

    /** As {@link #stalled(List, String)}, with {@code detail} (what is known of the stuck connections) after it. */
    private static IllegalStateException stalled(List<? extends CompletableFuture<?>> futures, String step, String detail) {
        long done = futures.stream().filter(CompletableFuture::isDone).count();
        return new IllegalStateException("only " + done + " of " + futures.size() + " connections " + step + " within 60 s" + detail);
    }
}
