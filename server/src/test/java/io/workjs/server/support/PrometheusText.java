package io.workjs.server.support;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's text exposition format, read strictly: every line is a {@code # HELP}, a
 * {@code # TYPE} or a sample whose family was typed before it, with a number for a value.
 * Samples are keyed as written, {@code name{label="value",...}}.
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped|unknown)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, Double> samples;

    private PrometheusText(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** Parses a whole scrape; fails on any line that is not of the format. */
    public static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Set<String> typed = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) continue;
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                typed.add(type.group(1));
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new AssertionError("not a Prometheus text line: " + line);
            String name = m.group(1);
            String family = name.replaceFirst("_(total|bucket|count|sum|max|created)$", "");
            if (!typed.contains(name) && !typed.contains(family)) throw new AssertionError("a sample before its # TYPE: " + line);
            if (m.group(2) != null) {
                Matcher labels = LABEL.matcher(m.group(2));
                int labelsFound = 0;
                while (labels.find()) labelsFound++;
                if (labelsFound == 0 && !m.group(2).equals("{}")) throw new AssertionError("bad labels: " + line);
            }
            double value = switch (m.group(3)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(m.group(3));
            };
            samples.put(name + (m.group(2) == null ? "" : m.group(2)), value);
        }
        return new PrometheusText(samples);
    }

    /** The sample's value, or NaN when there is no such sample. */
    public double value(String sample) {
        return samples.getOrDefault(sample, Double.NaN);
    }

    /** True when the scrape has the sample. */
    public boolean has(String sample) {
        return samples.containsKey(sample);
    }

    /** How many samples start with {@code prefix} (a metric's name and the start of its labels). */
    public long count(String prefix) {
        return samples.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        samples.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
        return out.toString();
    }
}
