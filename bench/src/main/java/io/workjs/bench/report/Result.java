package io.workjs.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one scenario against one server. Metric names carry their unit ("calls/s",
 * "p99 ms"); {@code error} says why a run produced no figures, so a failure shows in the table
 * instead of vanishing. {@code trial} numbers the rounds of a run with {@code --trials N}
 * (1 when the run has one).
 */
public record Result(String scenario, String server, Map<String, Double> metrics, String error, int trial) {

    public static Result of(String scenario, String server) {
        return new Result(scenario, server, new LinkedHashMap<>(), null, 1);
    }

    public static Result failed(String scenario, String server, String error) {
        return new Result(scenario, server, new LinkedHashMap<>(), error, 1);
    }

    /** The same figures, from round {@code trial} of the run. */
    public Result inTrial(int trial) {
        return new Result(scenario, server, metrics, error, trial);
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
