package io.workjs.server.ops;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code workjs_calls_total{controller,function,outcome}} and
 * {@code workjs_call_duration_seconds{controller}}, from the counts the runtime keeps on its loop
 * (runtime.js, {@code callStats}): one read of the loop per scrape, and nothing per call but a
 * few map updates in JavaScript. While the loop is busy past the wait, the scrape shows the
 * last counts it had.
 */
public final class CallStats implements MultiCollector {
    private static final Gson GSON = new Gson();

    private final Supplier<String> source;
    private volatile JsonObject last = new JsonObject();

    /** {@code source} gives the runtime's statistics as JSON, or null when the loop did not answer in time. */
    public CallStats(Supplier<String> source) {
        this.source = source;
    }

    /** Reads the runtime's counts now; called once per scrape, before the registry collects. */
    void refresh() {
        String json = source.get();
        if (json != null) last = GSON.fromJson(json, JsonObject.class);
    }

    /** Connections init() refused, failed or timed out on, as of the last read. */
    double deniedByInit() {
        JsonElement n = last.get("deniedByInit");
        return n == null ? 0 : n.getAsDouble();
    }

    @Override
    public MetricSnapshots collect() {
        JsonObject stats = last;
        CounterSnapshot.Builder calls = CounterSnapshot.builder().name("workjs_calls")
                .help("calls answered, by controller, function and outcome (ok or the error code)");
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder().name("workjs_call_duration_seconds")
                .help("calls from dispatch to answer, by controller");
        JsonObject controllers = stats.getAsJsonObject("controllers");
        JsonArray bounds = stats.getAsJsonArray("bounds");
        if (controllers != null && bounds != null) {
            double[] upper = new double[bounds.size() + 1];
            for (int i = 0; i < bounds.size(); i++) upper[i] = bounds.get(i).getAsDouble();
            upper[bounds.size()] = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, JsonElement> c : controllers.entrySet()) {
                JsonObject controller = c.getValue().getAsJsonObject();
                for (Map.Entry<String, JsonElement> f : controller.getAsJsonObject("calls").entrySet()) {
                    for (Map.Entry<String, JsonElement> o : f.getValue().getAsJsonObject().entrySet()) {
                        calls.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("controller", c.getKey(), "function", f.getKey(), "outcome", o.getKey()))
                                .value(o.getValue().getAsDouble()).build());
                    }
                }
                JsonArray buckets = controller.getAsJsonArray("buckets");
                long[] counts = new long[upper.length];
                for (int i = 0; i < counts.length && i < buckets.size(); i++) counts[i] = buckets.get(i).getAsLong();
                durations.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(Labels.of("controller", c.getKey()))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
                        .sum(controller.get("sum").getAsDouble()).build());
            }
        }
        return new MetricSnapshots(calls.build(), durations.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("workjs_calls", "workjs_call_duration_seconds");
    }
}
