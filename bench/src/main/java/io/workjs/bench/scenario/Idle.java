package io.workjs.bench.scenario;

import io.workjs.bench.load.Client;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Result;

/**
 * Idle connections: what each open, accepted, silent connection costs the server, as heap
 * after a full GC and as RSS, measured against the same server with none open. Each connection
 * answers one call first, so its {@code init()} has run and it sits in its group.
 */
public final class Idle {

    private Idle() {
    }

    /**
     * Heap after GC and RSS with no connections open: the baseline for {@link #run}. Connections
     * of the scenario before may still be winding down on the server, so the heap is read until
     * two readings agree within 1% (at most 10 tries).
     */
    public static long[] baseline(ServerProcess server) throws Exception {
        long heap = server.heapAfterGc();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(300);
            long again = server.heapAfterGc();
            boolean settled = Math.abs(again - heap) <= heap / 100;
            heap = again;
            if (settled) {
                break;
            }
        }
        return new long[] {heap, server.rssBytes()};
    }

    /**
     * Adds to {@code larger} the heap per connection between the two counts: the slope, which
     * no baseline error touches (what the server had left over from the scenarios before).
     */
    public static void addSlope(Result smaller, Result larger) {
        if (smaller == null || smaller.error() != null || larger.error() != null) {
            return;
        }
        int from = Integer.parseInt(smaller.scenario().substring("idle-".length()));
        int to = Integer.parseInt(larger.scenario().substring("idle-".length()));
        double kb = (larger.get("heap MB") - smaller.get("heap MB")) * 1024 / (to - from);
        larger.put("heap KB/conn, " + from + "→" + to, Window.round(kb));
    }

    /** A step taken while the connections are open, after they were measured (a heap histogram). */
    @FunctionalInterface
    public interface WhileOpen {
        void run() throws Exception;
    }

    public static Result run(ServerProcess server, Client client, int count, long[] baseline, WhileOpen whileOpen) throws Exception {
        Result result = Result.of("idle-" + count, server.kind().label());
        long started = System.nanoTime();
        try (Fleet fleet = Fleet.openAnswered(client, server, count, i -> "idle")) {
            if (fleet.unanswered() > 0) {
                return Result.failed(result.scenario(), result.server(), fleet.unanswered() + " of " + count
                        + " connections got no answer");
            }
            result.put("connect s", Window.round((System.nanoTime() - started) / 1e9));
            long heap = server.heapAfterGc();
            long rss = server.rssBytes();
            result.put("heap KB/conn", Window.round((heap - baseline[0]) / 1024.0 / count));
            result.put("RSS KB/conn", Window.round((rss - baseline[1]) / 1024.0 / count));
            result.put("heap MB", Window.round(heap / 1048576.0));
            result.put("RSS MB", Window.round(rss / 1048576.0));
            whileOpen.run();
            if (fleet.openCount() != count) {
                return Result.failed(result.scenario(), result.server(), "only " + fleet.openCount() + " of "
                        + count + " connections stayed open");
            }
        }
        return result;
    }
}
