package io.workjs.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one scenario against one server. Metric names carry their unit ("calls/s",
 * "p99 ms"); {@code error} says why a run produced no figures, so a failure shows in the table
 * instead of vanishing.
 */
public record Result(String scenario, String server, Map<String, Double> metrics, String error) {

    public static Result of(String scenario, String server) {
        return new Result(scenario, server, new LinkedHashMap<>(), null);
    }

    public static Result failed(String scenario, String server, String error) {
        return new Result(scenario, server, new LinkedHashMap<>(), error);
    }

    public Result put(String metric, double value) {
        metrics.put(metric, value);
        return this;
    }

    public double get(String metric) {
        Double value = metrics.get(metric);
        return value == null ? Double.NaN : value;
    }
}
