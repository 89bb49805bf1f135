package io.workjs.bench.scenario;

import io.workjs.bench.Settings;
import io.workjs.bench.load.Client;
import io.workjs.bench.load.Conn;
import io.workjs.bench.load.Listener;
import io.workjs.bench.load.Wire;
import io.workjs.bench.peer.Servers;
import io.workjs.bench.report.Result;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Fan-out: {@code groups} groups of {@code members}; one member per group emits 100-byte events
 * as fast as the server delivers them. "As fast as delivered" is a window: each group keeps a
 * fixed number of events in flight, and an event leaves the window only when every member of
 * the group has it. So no buffer anywhere grows without bound, and a server that drops or
 * loses events stalls the run, which is reported, instead of looking fast. Every member
 * answers one call before the first emit, so each is in its group on its node (in a cluster
 * the members alternate between the nodes).
 */
public final class Fanout {

    private static final int RING = 4096;
    private static final byte[] ID = "\"i\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final long STALL_NANOS = 5_000_000_000L;

    private Fanout() {
    }

    public static Result run(Servers server, Client client, Settings settings, int groups, int members) throws Exception {
        return run("fanout-" + groups + "x" + members, server, client, settings, groups, members);
    }

    /** The same as scenario {@code name}. */
    public static Result run(String name, Servers server, Client client, Settings settings, int groups, int members)
            throws Exception {
        Result result = Result.of(name, server.kind().label());
        Recorder latency = new Recorder(3);
        LongAdder delivered = new LongAdder();
        LongAdder dropped = new LongAdder();
        CountDownLatch joined = new CountDownLatch(groups * members);
        List<Group> all = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            all.add(new Group(members, settings.fanoutWindow()));
        }
        try (Fleet fleet = Fleet.open(client, server, groups * members, i -> "f" + (i % groups),
                i -> new Member(all.get(i % groups), latency, delivered, dropped, joined))) {
            if (!joined.await(120, TimeUnit.SECONDS)) {
                return Result.failed(name, server.kind().label(), joined.getCount() + " members answered no call within 120 s");
            }
            for (int i = 0; i < groups; i++) {
                all.get(i).emitter = fleet.conns().get(i);
            }
            for (Group group : all) {
                group.emitter.execute(group::fill);
            }
            double warmed = Warmup.run(server, settings.warmup(), settings.smoke());
            latency.getIntervalHistogram();
            long before = delivered.sum();
            Window window = Window.start(server);
            long lastCount = before;
            long lastProgress = System.nanoTime();
            long end = System.nanoTime() + settings.measure().toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(100);
                long now = delivered.sum();
                if (now != lastCount) {
                    lastCount = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                    return Result.failed(name, server.kind().label(), "stalled: no event delivered for 5 s ("
                            + dropped.sum() + " members dropped)");
                }
            }
            long count = delivered.sum() - before;
            double seconds = window.seconds();
            if (count == 0) {
                return Result.failed(name, server.kind().label(), "no event was delivered in the measured window");
            }
            result.put("delivered/s", Math.round(count / seconds));
            result.put("emits/s", Math.round(count / seconds / members));
            result.put("warm-up s", warmed);
            Latency.add(result, latency.getIntervalHistogram());
            window.addCpu(result);
            window.addCpuPer(result, count, "event");
            for (Group group : all) {
                group.running = false;
            }
            if (dropped.sum() > 0) {
                return Result.failed(name, server.kind().label(), dropped.sum() + " members were disconnected");
            }
        }
        return result;
    }

    /** The padded 100-byte event body; {@code t} is the send time in nanoseconds. */
    static String event(long id, long nanos) {
        String head = "{\"i\":" + id + ",\"t\":" + nanos + ",\"p\":\"";
        return head + "x".repeat(Math.max(1, 98 - head.length())) + "\"}";
    }

    private static final class Group {
        private final int members;
        private final int window;
        private final AtomicIntegerArray remaining = new AtomicIntegerArray(RING);
        private volatile boolean running = true;
        private Conn emitter;
        private long nextId;

        Group(int members, int window) {
            this.members = members;
            this.window = window;
        }

        void fill() {
            for (int i = 0; i < window; i++) {
                emit();
            }
            emitter.flush();
        }

        void emit() {
            long id = nextId++;
            remaining.set((int) (id % RING), members);
            emitter.write(emitter.wire().send("emit", event(id, System.nanoTime())));
        }

        void completed() {
            if (!running) {
                return;
            }
            if (emitter.inEventLoop()) {
                emit();
                emitter.flush();
            } else {
                emitter.execute(() -> {
                    emit();
                    emitter.flush();
                });
            }
        }
    }

    private record Member(Group group, Recorder latency, LongAdder delivered, LongAdder dropped, CountDownLatch joined)
            implements Listener {
        @Override public void ready(Conn conn) {
            conn.send(conn.wire().call("echo", "1", 1));
        }

        @Override public void reply(Conn conn, long seq) {
            joined.countDown();
        }

        @Override public void event(Conn conn, ByteBuf frame) {
            long sent = Wire.numberAfter(frame, TIME);
            long id = Wire.numberAfter(frame, ID);
            latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
            delivered.increment();
            if (group.remaining.decrementAndGet((int) (id % RING)) == 0) {
                group.completed();
            }
        }

        @Override public void closed(Conn conn) {
            if (group.running) {
                dropped.increment();
            }
        }
    }
}
