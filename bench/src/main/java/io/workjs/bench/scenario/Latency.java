package io.workjs.bench.scenario;

import io.workjs.bench.report.Result;
import org.HdrHistogram.Histogram;

/** Percentiles of a microsecond histogram, put into a result in milliseconds. */
final class Latency {

    private Latency() {
    }

    static void add(Result result, Histogram micros) {
        result.put("p50 ms", ms(micros.getValueAtPercentile(50)));
        result.put("p99 ms", ms(micros.getValueAtPercentile(99)));
        result.put("p99.9 ms", ms(micros.getValueAtPercentile(99.9)));
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
