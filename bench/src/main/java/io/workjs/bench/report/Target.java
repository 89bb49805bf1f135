package io.workjs.bench.report;

import java.util.List;

/**
 * One target of issue 5, evaluated on results of the same run: either a ratio of WorkJS to a
 * peer ({@code peer} set) or an absolute bound on a WorkJS figure.
 */
public record Target(String scenario, String metric, String peer, boolean atLeast, double bound) {

    /** Every target the harness checks. */
    public static final List<Target> ALL = List.of(
            ratio("rpc", "calls/s", "node-ws", 1.0),
            ratio("rpc", "calls/s", "socketio", 2.0),
            ratio("rpc", "calls/s", "raw", 0.5),
            ratio("fanout-1x1000", "delivered/s", "raw", 0.8),
            ratio("fanout-10x100", "delivered/s", "raw", 0.8),
            ratio("fanout-1x1000", "delivered/s", "socketio", 3.0),
            ratio("fanout-10x100", "delivered/s", "socketio", 3.0),
            new Target("idle-19000", "heap KB/conn", null, false, 8),
            new Target("idle-19000", "heap KB/conn, 10000→19000", null, false, 8),
            new Target("rpc-half", "p99 ms", null, false, 2),
            new Target("rpc-5k", "p99 ms", null, false, 2),
            new Target("startup", "first call ms", null, false, 1500));

    private static Target ratio(String scenario, String metric, String peer, double atLeast) {
        return new Target(scenario, metric, peer, true, atLeast);
    }

    public String describe() {
        String what = scenario + " " + metric;
        if (peer != null) {
            return what + ": workjs ≥ " + fmt(bound) + "× " + peer;
        }
        return what + ": workjs " + (atLeast ? "≥ " : "≤ ") + fmt(bound);
    }

    /** The measured value (a ratio for peer targets), or NaN when a figure is missing. */
    public double measure(List<Result> results) {
        double ours = find(results, "workjs");
        return peer == null ? ours : ours / find(results, peer);
    }

    public boolean met(double measured) {
        return !Double.isNaN(measured) && (atLeast ? measured >= bound : measured <= bound);
    }

    private double find(List<Result> results, String server) {
        for (Result r : results) {
            if (r.scenario().equals(scenario) && r.server().equals(server) && r.error() == null) {
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
