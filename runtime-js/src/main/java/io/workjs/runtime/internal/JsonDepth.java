package io.workjs.runtime.internal;

/**
 * How deeply a JSON text nests, found without parsing it: brackets are counted outside
 * strings. It runs on the network thread so that a frame too deep never costs the JS loop a
 * parse. Invalid JSON is only scanned, not judged: JSON.parse reports that later.
 */
public final class JsonDepth {
    private JsonDepth() {
    }

    /** True when some array or object in {@code text} sits more than {@code max} levels deep. */
    public static boolean exceeds(String text, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char ch = text.charAt(i);
            if (inString) {
                if (ch == '\\') i++;
                else if (ch == '"') inString = false;
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '[' || ch == '{') {
                if (++depth > max) return true;
            } else if ((ch == ']' || ch == '}') && depth > 0) {
                depth--;
            }
        }
        return false;
    }
}
