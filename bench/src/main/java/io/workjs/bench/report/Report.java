package io.workjs.bench.report;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes one run as Markdown (a table per scenario, ratios, targets) and as JSON. */
public final class Report {

    private final Map<String, String> about;
    private final List<Result> results;

    public Report(Map<String, String> about, List<Result> results) {
        this.about = about;
        this.results = results;
    }

    /** Reads a report back from the JSON it wrote, e.g. to write its Markdown again. */
    public static Report read(Path json) throws IOException {
        com.google.gson.JsonObject doc = com.google.gson.JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        com.google.gson.Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        Map<String, String> about = new LinkedHashMap<>();
        doc.getAsJsonObject("about").entrySet().forEach(e -> about.put(e.getKey(), e.getValue().getAsString()));
        List<Result> results = new ArrayList<>();
        for (var element : doc.getAsJsonArray("results")) {
            var r = element.getAsJsonObject();
            Map<String, Double> metrics = new LinkedHashMap<>();
            r.getAsJsonObject("metrics").entrySet().forEach(e -> metrics.put(e.getKey(), gson.fromJson(e.getValue(), Double.class)));
            results.add(new Result(r.get("scenario").getAsString(), r.get("server").getAsString(), metrics,
                    r.has("error") && !r.get("error").isJsonNull() ? r.get("error").getAsString() : null,
                    r.has("trial") ? r.get("trial").getAsInt() : 1));
        }
        return new Report(about, results);
    }

    /** Writes {@code base}.md and {@code base}.json. */
    public void write(Path base) throws IOException {
        Files.createDirectories(base.toAbsolutePath().getParent());
        Files.writeString(Path.of(base + ".md"), markdown());
        Files.writeString(Path.of(base + ".json"), json());
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark run " + about.get("date") + "\n\n");
        about.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nEach ratio is WorkJS's figure divided by the peer's, from this run. Latencies in ms; "
                + "CPU in % of one core (the machine has ").append(about.get("cores")).append(").\n");
        boolean trials = Trials.of(results).size() > 1;
        if (trials) {
            md.append("\nThe servers ran in ").append(Trials.of(results).size()).append(" interleaved trials (each server once per "
                    + "trial, in the order given); #N is the trial. Each ratio is taken within a trial; the median of them is "
                    + "given with their range, here and in the targets.\n");
        }
        for (String scenario : scenarios()) {
            md.append("\n## ").append(scenario).append("\n\n");
            List<Result> rows = results.stream().filter(r -> r.scenario().equals(scenario)).toList();
            Set<String> metrics = new LinkedHashSet<>();
            rows.forEach(r -> metrics.addAll(r.metrics().keySet()));
            md.append("| server | ").append(String.join(" | ", metrics)).append(" |\n|---|");
            md.append("---:|".repeat(metrics.size())).append('\n');
            for (Result r : rows) {
                md.append("| ").append(r.server()).append(trials ? " #" + r.trial() : "").append(" | ");
                if (r.error() != null) {
                    md.append("failed: ").append(r.error().replace('|', '/').replace('\n', ' '))
                            .append(" |".repeat(metrics.size())).append('\n');
                    continue;
                }
                for (String m : metrics) {
                    md.append(Target.fmt(r.get(m))).append(" | ");
                }
                md.append('\n');
            }
            ratios(md, scenario, rows, trials);
        }
        md.append("\n## Targets\n\n| target | measured | met |\n|---|---:|---|\n");
        for (Target t : Target.ALL) {
            List<Double> values = t.perTrial(results);
            md.append("| ").append(t.describe()).append(" | ").append(Trials.describe(values, t.peer() != null ? "×" : ""));
            if (values.size() > 1) {
                md.append("; per trial ").append(String.join(", ", values.stream().map(Target::fmt).toList()));
            }
            md.append(" | ").append(t.verdict(values)).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The lines under a scenario's table: WorkJS's primary figure, and its server CPU per call
     * or event, divided by each peer's within each trial; the median of those ratios and their
     * range, as the targets take them. WorkJS is {@code workjs-cluster} in the cluster scenario.
     */
    private static void ratios(StringBuilder md, String scenario, List<Result> rows, boolean trials) {
        String oursLabel = scenario.startsWith("cluster-") ? "workjs-cluster" : "workjs";
        Result ours = rows.stream().filter(r -> r.server().equals(oursLabel) && r.error() == null).findFirst().orElse(null);
        if (ours == null || ours.metrics().isEmpty()) {
            return;
        }
        // the figure the scenario is for: latency at a fixed rate, else its first one but the
        // set-up's (the time to connect)
        String primary = ours.metrics().containsKey("target calls/s") ? "p99 ms"
                : ours.metrics().keySet().stream().filter(m -> !m.equals("connect s")).findFirst().orElseThrow();
        Set<String> servers = new LinkedHashSet<>();
        rows.forEach(r -> servers.add(r.server()));
        // and what a call or an event cost the server, the figure that shared cores disturb least
        List<String> figures = new ArrayList<>(List.of(primary));
        ours.metrics().keySet().stream().filter(m -> m.startsWith("server CPU µs/")).findFirst().ifPresent(figures::add);
        for (String figure : figures) {
            List<String> ratios = new ArrayList<>();
            for (String server : servers) {
                List<Double> perTrial = ratios(rows, oursLabel, server, figure);
                if (!server.equals(oursLabel) && !perTrial.isEmpty()) {
                    ratios.add(server + " " + Trials.describe(perTrial, "×"));
                }
            }
            if (!ratios.isEmpty()) {
                md.append('\n').append(oursLabel).append(" ÷ peer, ").append(figure)
                        .append(trials ? " (median of the trials' ratios, and their range)" : "").append(": ")
                        .append(String.join(", ", ratios)).append('\n');
            }
        }
    }

    /** The ratio of the two servers' figures within each trial where both exist, as the targets take it. */
    private static List<Double> ratios(List<Result> rows, String ours, String peer, String metric) {
        List<Double> ratios = new ArrayList<>();
        for (int trial : Trials.of(rows)) {
            double ratio = figure(rows, ours, metric, trial) / figure(rows, peer, metric, trial);
            if (!Double.isNaN(ratio)) {
                ratios.add(ratio);
            }
        }
        return ratios;
    }

    private static double figure(List<Result> rows, String server, String metric, int trial) {
        return rows.stream().filter(r -> r.server().equals(server) && r.trial() == trial && r.error() == null)
                .map(r -> r.get(metric)).findFirst().orElse(Double.NaN);
    }

    String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("about", about);
        doc.put("results", results);
        List<Map<String, Object>> targets = new ArrayList<>();
        for (Target t : Target.ALL) {
            List<Double> values = t.perTrial(results);
            double value = Trials.median(values);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", t.describe());
            row.put("measured", Double.isNaN(value) ? null : value);
            row.put("met", t.met(value));
            row.put("per trial", values);
            row.put("verdict", t.verdict(values));
            targets.add(row);
        }
        doc.put("targets", targets);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(doc);
    }

    private List<String> scenarios() {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.add(r.scenario()));
        return new ArrayList<>(names);
    }
}
