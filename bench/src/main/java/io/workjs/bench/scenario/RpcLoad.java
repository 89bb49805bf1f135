package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.ServerProcess;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop RPC load: each connection keeps {@code depth} echo calls outstanding and sends
 * the next as soon as a reply comes back. Latency is from send to reply, in microseconds.
 */
final class RpcLoad implements AutoCloseable {

    /** About 100 bytes of JSON: the object every call carries and gets back. */
    static final String PAYLOAD =
            "{\"user\":\"bench-user-0042\",\"room\":\"lobby\",\"n\":123456,\"text\":\"hello from the load generator\",\"ok\":true}";

    private final LongAdder calls = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private final Fleet fleet;
    private volatile boolean running = true;

    private RpcLoad(Client client, ServerProcess server, int connections, int depth) throws Exception {
        this.fleet = Fleet.open(client, server, connections, i -> "rpc", i -> new Loop(depth));
    }

    static RpcLoad start(Client client, ServerProcess server, int connections, int depth) throws Exception {
        return new RpcLoad(client, server, connections, depth);
    }

    long calls() {
        return calls.sum();
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

        private void call(Conn conn) {
            long seq = nextSeq++;
            sentAt[(int) (seq & 31)] = System.nanoTime();
            conn.write(conn.wire().call("echo", PAYLOAD, seq));
        }
    }
}
