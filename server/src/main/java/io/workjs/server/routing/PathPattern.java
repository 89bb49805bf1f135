package io.workjs.server.routing;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A compiled effective urlpath: literal segments, {@code :variables} and an optional final {@code *}. */
final class PathPattern {
    static final String LOCATION = "_location";

    // Per segment: the variable name, or null for a literal held in literals[i].
    private final String[] literals;
    private final String[] variables;
    private final boolean wildcard;

    private PathPattern(String[] literals, String[] variables, boolean wildcard) {
        this.literals = literals;
        this.variables = variables;
        this.wildcard = wildcard;
    }

    /** Checks the segment syntax of {@code path} (already starting with "/") and compiles it. */
    static PathPattern compile(String path, String source) {
        String body = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] parts = body.equals("/") ? new String[0] : body.substring(1).split("/", -1);
        boolean wildcard = parts.length > 0 && parts[parts.length - 1].equals("*");
        int fixed = wildcard ? parts.length - 1 : parts.length;
        String[] literals = new String[fixed];
        String[] variables = new String[fixed];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fixed; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw MapException.at(source, "urlpath \"" + path + "\" has an empty segment");
            }
            if (part.equals("*")) {
                throw MapException.at(source, "\"*\" must be the last segment of \"" + path + "\"");
            }
            if (!part.startsWith(":")) {
                literals[i] = part;
                continue;
            }
            String name = part.substring(1);
            if (name.isEmpty()) {
                throw MapException.at(source, "empty variable name in \"" + path + "\"");
            }
            if (!seen.add(name)) {
                throw MapException.at(source, "variable \":" + name + "\" appears twice in \"" + path + "\"");
            }
            if (wildcard && name.equals(LOCATION)) {
                throw MapException.at(source, "variable \":" + LOCATION + "\" clashes with the wildcard in \""
                        + path + "\"");
            }
            variables[i] = name;
        }
        return new PathPattern(literals, variables, wildcard);
    }

    /** Whether the pattern ends in {@code *}. */
    boolean hasWildcard() {
        return wildcard;
    }

    /** The params for decoded request {@code segments}, or null when they do not fit. */
    Map<String, String> match(List<String> segments) {
        int fixed = variables.length;
        if (segments.size() < fixed || (!wildcard && segments.size() != fixed)) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < fixed; i++) {
            String segment = segments.get(i);
            if (variables[i] != null) {
                params.put(variables[i], segment);
            } else if (!literals[i].equals(segment)) {
                return null;
            }
        }
        if (wildcard) {
            params.put(LOCATION, String.join("/", segments.subList(fixed, segments.size())));
        }
        return params;
    }
}
