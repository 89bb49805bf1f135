package io.workjs.server.routing;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route line of a MAP file, split into its fields but not yet interpreted.
 *
 * @param source    "file:line" for error messages, e.g. {@code modules/chat/MAP:3}
 * @param urlpath   first field as written
 * @param method    second field as written
 * @param target    third field as written
 * @param flagsText the rest of the line, trimmed; empty when there are no flags
 */
record MapLine(String source, String urlpath, String method, String target, String flagsText) {
    // Three non-blank fields, then everything else: flags are JSON and may contain blanks.
    private static final Pattern FIELDS = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(.*))?");

    /** Splits {@code text}; empty for blank and comment lines, MapException for too few fields. */
    static Optional<MapLine> parse(String file, int lineNumber, String text) {
        String line = text.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return Optional.empty();
        }
        String source = file + ":" + lineNumber;
        Matcher m = FIELDS.matcher(line);
        if (!m.matches()) {
            int found = line.split("\\s+").length;
            throw MapException.at(source, "need at least 3 fields (urlpath method target [flags]), found "
                    + found);
        }
        String flags = m.group(4) == null ? "" : m.group(4).strip();
        return Optional.of(new MapLine(source, m.group(1), m.group(2), m.group(3), flags));
    }
}
