package io.workjs.runtime;

/**
 * One limit, described once: its CONF key, default, allowed range and unit. The CONF reader,
 * the validation and docs/CONFIGURATION.md (checked by a test) all follow this description.
 *
 * @param key          the CONF key, e.g. {@code maxJsonDepth}
 * @param defaultValue the value without CONF
 * @param min          smallest allowed value
 * @param max          largest allowed value
 * @param unit         what the number counts, e.g. {@code bytes}, {@code ms}
 */
public record Bound(String key, int defaultValue, int min, int max, String unit) {

    public Bound {
        if (min > defaultValue || defaultValue > max) throw new IllegalArgumentException(key + ": default outside its range");
    }

    /** {@code value} when it is within range; else an exception naming the key, the range and the value. */
    public int check(int value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be from " + min + " to " + max + " (" + unit + "), got " + value);
        }
        return value;
    }
}
