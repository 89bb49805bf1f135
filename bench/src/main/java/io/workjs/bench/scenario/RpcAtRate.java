package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * RPC at a fixed rate (open loop): calls leave on a schedule whether or not replies came back,
 * and latency counts from when a call was due, not when it left, so a stalled server cannot
 * hide its stall (no coordinated omission).
 */
public final class RpcAtRate {

    private static final int RING = 1024;

    private RpcAtRate() {
    }

    /** Runs at {@code callsPerSecond} in total, spread evenly over the RPC connections. */
    public static Result run(String name, ServerProcess server, Client client, Settings settings, double callsPerSecond) throws Exception {
        Result result = Result.of(name, server.kind().label());
        Recorder latency = new Recorder(3);
        LongAdder answered = new LongAdder();
        LongAdder overloaded = new LongAdder();
        long period = Math.round(1e9 * settings.rpcConnections() / callsPerSecond);
        try (Fleet fleet = Fleet.open(client, server, settings.rpcConnections(), i -> "rpc",
                i -> new Scheduled(period, latency, answered, overloaded))) {
            Thread.sleep(settings.warmup().toMillis());
            latency.getIntervalHistogram();
            long before = answered.sum();
            Window window = Window.start(server);
            Thread.sleep(settings.measure().toMillis());
            result.put("target calls/s", Math.round(callsPerSecond));
            long calls = answered.sum() - before;
            result.put("calls/s", Math.round(calls / window.seconds()));
            Latency.add(result, latency.getIntervalHistogram());
            window.addCpu(result);
            window.addJsCostPerCall(result, calls);
            window.addCpuPer(result, calls, "call");
            if (overloaded.sum() > 0) {
                return Result.failed(name, server.kind().label(), "fell behind the schedule by more than "
                        + RING + " calls on a connection");
            }
        }
        return result;
    }

    private static final class Scheduled implements Listener {
        private final long period;
        private final Recorder latency;
        private final LongAdder answered;
        private final LongAdder overloaded;
        private final long[] dueAt = new long[RING];
        private long start;
        private long nextSeq;
        private long lastAnswered = -1;

        Scheduled(long period, Recorder latency, LongAdder answered, LongAdder overloaded) {
            this.period = period;
            this.latency = latency;
            this.answered = answered;
            this.overloaded = overloaded;
        }

        @Override public void ready(Conn conn) {
            long offset = ThreadLocalRandom.current().nextLong(period);
            start = System.nanoTime() + offset;
            conn.every(offset, period, () -> tick(conn));
        }

        /** Sends every call that is due by now (the event loop may fire late). */
        private void tick(Conn conn) {
            long now = System.nanoTime();
            while (start + nextSeq * period <= now) {
                if (nextSeq - lastAnswered >= RING) {
                    overloaded.increment();
                    return;
                }
                long seq = nextSeq++;
                dueAt[(int) (seq % RING)] = start + seq * period;
                conn.write(conn.wire().call("echo", RpcLoad.PAYLOAD, seq));
            }
            conn.flush();
        }

        @Override public void reply(Conn conn, long seq) {
            latency.recordValue((System.nanoTime() - dueAt[(int) (seq % RING)]) / 1000);
            lastAnswered = Math.max(lastAnswered, seq);
            answered.increment();
        }
    }
}
