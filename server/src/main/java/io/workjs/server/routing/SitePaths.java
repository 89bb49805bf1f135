package io.workjs.server.routing;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/** Resolves MAP targets and mount folders, written relative to a MAP's folder, inside the site. */
final class SitePaths {
    private SitePaths() {
    }

    /** The site-relative target ("modules/chat/room") for {@code written} in MAP folder {@code folder}. */
    static String target(Path folder, String written, String source) {
        String lower = written.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".html") || lower.endsWith(".ws")) {
            String bare = written.substring(0, written.lastIndexOf('.'));
            throw MapException.at(source, "target \"" + written
                    + "\" must not have an extension: write \"" + bare + "\"");
        }
        Path resolved = inside(folder, written, "target", source);
        if (resolved.toString().isEmpty()) {
            throw MapException.at(source, "target \"" + written + "\" names a folder, not a page");
        }
        return slashed(resolved);
    }

    /** The site-relative folder a mount target ({@code written} without its ":") names. */
    static Path mountFolder(Path folder, String written, String source) {
        if (written.isEmpty()) {
            throw MapException.at(source, "mount target \":\" names no folder");
        }
        return inside(folder, written, "mount folder", source);
    }

    /** {@code path} with "/" between its names, whatever the platform separator is. */
    static String slashed(Path path) {
        return path.toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    // Works on site-relative paths only, so ".." can be checked without touching the disk.
    private static Path inside(Path folder, String written, String what, String source) {
        Path path;
        try {
            path = Path.of(written);
        } catch (InvalidPathException e) {
            throw MapException.at(source, what + " \"" + written + "\" is not a valid path");
        }
        if (path.isAbsolute() || written.startsWith("/") || written.startsWith("\\")) {
            throw MapException.at(source, what + " \"" + written + "\" must be relative to the MAP's folder");
        }
        Path resolved = folder.resolve(path).normalize();
        if (resolved.startsWith("..")) {
            throw MapException.at(source, what + " \"" + written + "\" is outside the site directory");
        }
        return resolved;
    }
}
