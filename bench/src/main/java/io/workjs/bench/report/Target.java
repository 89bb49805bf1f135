package io.workjs.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One target, evaluated on results of the same run: either a ratio of a WorkJS figure to a
 * peer's ({@code peer} set) or an absolute bound on it. {@code ours} is {@code workjs},
 * {@code workjs-resume} for what resumable connections cost, or {@code workjs-pg} for the
 * database on PostgreSQL; for the cluster scenario {@code workjs-cluster}. In a run of several
 * trials ({@code --trials N}) a ratio is taken within each trial, and the target judged on all.
 */
public record Target(String scenario, String metric, String ours, String peer, boolean atLeast, double bound) {

    /** Every target the harness checks. */
    public static final List<Target> ALL = List.of(
            // per-core efficiency (issue 14): CPU per call against Node ws, throughput against both peers
            new Target("rpc", "server CPU µs/call", "workjs", "node-ws", false, 1.0),
            ratio("rpc", "calls/s", "node-ws", 1.3),
            ratio("rpc", "calls/s", "socketio", 2.0),
            ratio("rpc", "calls/s", "raw", 0.5),
            ratio("fanout-1x1000", "delivered/s", "raw", 0.8),
            ratio("fanout-10x100", "delivered/s", "raw", 0.8),
            ratio("fanout-1x1000", "delivered/s", "socketio", 3.0),
            ratio("fanout-10x100", "delivered/s", "socketio", 3.0),
            new Target("idle-19000", "heap KB/conn", "workjs", null, false, 6),
            new Target("idle-19000", "heap KB/conn, 10000→19000", "workjs", null, false, 6),
            new Target("idle-19000", "RSS KB/conn", "workjs", null, false, 12),
            new Target("rpc-half", "p99 ms", "workjs", null, false, 2),
            new Target("rpc-5k", "p99 ms", "workjs", null, false, 2),
            new Target("startup", "first call ms", "workjs", null, false, 2000),
            // resumable connections cost at most 10% of throughput on the hot path (issue 10)
            new Target("rpc", "calls/s", "workjs-resume", "workjs", true, 0.9),
            new Target("fanout-1x1000", "delivered/s", "workjs-resume", "workjs", true, 0.9),
            new Target("fanout-10x100", "delivered/s", "workjs-resume", "workjs", true, 0.9),
            // what the admin listener's metrics cost a call, scraped every second (issue 13: under 5%)
            new Target("rpc", "calls/s", "workjs-metrics", "workjs", true, 0.95),
            // a call that stores a row and reads 10 back, Promise API against node-postgres on the same PostgreSQL (issue 11)
            new Target("db-async", "calls/s", "workjs-pg", "node-ws-pg", true, 1.0),
            // two nodes on one Redis (issue 12): fan-out against socket.io's cluster, RPC against one node of the same run
            new Target("cluster-fanout-1x1000", "delivered/s", "workjs-cluster", "socketio-cluster", true, 2.0),
            new Target("cluster-rpc", "calls/s", "workjs-cluster", "workjs", true, 0.8));

    private static Target ratio(String scenario, String metric, String peer, double atLeast) {
        return new Target(scenario, metric, "workjs", peer, true, atLeast);
    }

    public String describe() {
        String what = scenario + " " + metric;
        if (peer != null) {
            return what + ": " + ours + (atLeast ? " ≥ " : " ≤ ") + fmt(bound) + "× " + peer;
        }
        return what + ": " + ours + " " + (atLeast ? "≥ " : "≤ ") + fmt(bound);
    }

    /**
     * The measured value (a ratio for peer targets) of each trial in which both figures exist,
     * in trial order; {@link Trials#median} of them is the value reported.
     */
    public List<Double> perTrial(List<Result> results) {
        List<Double> values = new ArrayList<>();
        for (int trial : Trials.of(results)) {
            double value = find(results, ours, trial);
            if (peer != null) {
                value /= find(results, peer, trial);
            }
            if (!Double.isNaN(value)) {
                values.add(value);
            }
        }
        return values;
    }

    public boolean met(double measured) {
        return !Double.isNaN(measured) && (atLeast ? measured >= bound : measured <= bound);
    }

    /** "yes", "no", or, when some trials meet it and others do not, that the range crosses the line. */
    public String verdict(List<Double> values) {
        long met = values.stream().filter(this::met).count();
        if (values.isEmpty()) {
            return "not measured";
        }
        if (met == values.size()) {
            return "yes";
        }
        return met == 0 ? "**no**" : "not settled: the range crosses the line (met in " + met + " of " + values.size() + " trials)";
    }

    private double find(List<Result> results, String server, int trial) {
        for (Result r : results) {
            if (r.scenario().equals(scenario) && r.server().equals(server) && r.trial() == trial && r.error() == null) {
                return r.get(metric);
            }
        }
        return Double.NaN;
    }

    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format("%,d", (long) value);
        }
        return Math.abs(value) >= 100 ? String.format("%,.0f", value) : String.format("%.2f", value);
    }
}
