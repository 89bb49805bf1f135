package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.Servers;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop RPC load: each connection keeps {@code depth} calls outstanding (of {@code echo},
 * unless told otherwise) and sends the next as soon as a reply comes back. Latency is from send
 * to reply, in microseconds. A reply that says the call failed counts as a failure, not a call.
 */
final class RpcLoad implements AutoCloseable {

    /** About 100 bytes of JSON: the object every call carries and gets back. */
    static final String PAYLOAD =
            "{\"user\":\"bench-user-0042\",\"room\":\"lobby\",\"n\":123456,\"text\":\"hello from the load generator\",\"ok\":true}";

    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Recorder latency = new Recorder(3);
    private final String function;
    private final String payload;
    private final Fleet fleet;
    private volatile boolean running = true;

    private RpcLoad(Client client, Servers server, int connections, int depth, String function, String payload,
                    IntFunction<String> group) throws Exception {
        this.function = function;
        this.payload = payload;
        this.fleet = Fleet.open(client, server, connections, group, i -> new Loop(depth));
    }

    static RpcLoad start(Client client, Servers server, int connections, int depth) throws Exception {
        return new RpcLoad(client, server, connections, depth, "echo", PAYLOAD, i -> "rpc");
    }

    /** The same load calling {@code function} with {@code payload}, connection {@code i} a member of group {@code group(i)}. */
    static RpcLoad start(Client client, Servers server, int connections, int depth, String function, String payload,
                         IntFunction<String> group) throws Exception {
        return new RpcLoad(client, server, connections, depth, function, payload, group);
    }

    long calls() {
        return calls.sum();
    }

    /** Calls whose reply said they failed, so far. */
    long failures() {
        return failures.sum();
    }

    /** The first failed call's reply, or null. */
    String firstFailure() {
        return firstFailure.get();
    }

    /** Latencies recorded since the last call, in microseconds. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    long openConnections() {
        return fleet.openCount();
    }

    @Override public void close() throws Exception {
        running = false;
        fleet.close();
    }

    private final class Loop implements Listener {
        private final int depth;
        private final long[] sentAt = new long[32];
        private long nextSeq;

        Loop(int depth) {
            this.depth = depth;
        }

        @Override public void ready(Conn conn) {
            for (int i = 0; i < depth; i++) {
                call(conn);
            }
            conn.flush();
        }

        @Override public void reply(Conn conn, long seq) {
            long now = System.nanoTime();
            latency.recordValue((now - sentAt[(int) (seq & 31)]) / 1000);
            calls.increment();
            if (running) {
                call(conn);
            }
        }

        @Override public void failed(Conn conn, long seq, String error) {
            failures.increment();
            firstFailure.compareAndSet(null, error);
            if (running) {
                call(conn);
            }
        }

        private void call(Conn conn) {
            long seq = nextSeq++;
            sentAt[(int) (seq & 31)] = System.nanoTime();
            conn.write(conn.wire().call(function, payload, seq));
        }
    }
}
