package io.workjs.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A figure over the interleaved rounds of one run ({@code --trials N}): its median and its
 * range, as bench/RESULTS.md quotes them. The machine's noise is larger than many effects, so
 * a range is reported with every median, and a target whose line lies inside the range is not
 * called met or missed.
 */
final class Trials {

    private Trials() {
    }

    /** The rounds that produced results, in order. */
    static List<Integer> of(List<Result> results) {
        TreeSet<Integer> trials = new TreeSet<>();
        results.forEach(r -> trials.add(r.trial()));
        return new ArrayList<>(trials);
    }

    /** The median (of an even count, the mean of the middle two), or NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** "median (min–max)" with {@code unit} after each, or only the value when there is one. */
    static String describe(List<Double> values, String unit) {
        if (values.size() <= 1) {
            return Target.fmt(median(values)) + (values.isEmpty() ? "" : unit);
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return Target.fmt(median(values)) + unit + " (" + Target.fmt(min) + unit + "–" + Target.fmt(max) + unit + ")";
    }
}
