package io.workjs.server.routing;

/** Turns a written urlpath ({@code /x}, {@code @}, {@code =/x}) into the full path under a mount prefix. */
final class UrlPaths {
    private UrlPaths() {
    }

    /**
     * The effective urlpath of {@code written} under {@code prefix} (no trailing slash, "" at top level).
     */
    static String effective(String prefix, String written, String source) {
        if (written.equals("@")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        if (written.startsWith("=/")) {
            return written.substring(1);
        }
        if (written.startsWith("/")) {
            return prefix + written;
        }
        throw MapException.at(source, "urlpath \"" + written + "\" must start with \"/\" or \"=/\", or be \"@\"");
    }

    /** The prefix a mount at {@code effective} gives its routes: the path without trailing slashes. */
    static String prefixOf(String effective) {
        String prefix = effective;
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix;
    }
}
