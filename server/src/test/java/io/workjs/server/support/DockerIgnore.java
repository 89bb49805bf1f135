package io.workjs.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The build context as {@code docker build} sees it: a repository's {@code .dockerignore},
 * read the way Docker reads it for the patterns this project uses (globs, {@code **} for any
 * number of folders, a matched folder taking all that is in it). A negated pattern ({@code !})
 * is not understood here and fails loudly rather than being misread.
 */
public final class DockerIgnore {
    private final List<PathMatcher> patterns = new ArrayList<>();

    private DockerIgnore(List<String> lines) {
        for (String line : lines) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) continue;
            if (pattern.startsWith("!")) throw new IllegalStateException(".dockerignore: '!' patterns are not understood by this test");
            pattern = pattern.replaceFirst("^/", "").replaceFirst("/$", "");
            patterns.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            // Docker's ** also matches no folder at all: **/target takes a top-level target too.
            if (pattern.startsWith("**/")) patterns.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
        }
    }

    /** The rules of {@code root/.dockerignore} (none when there is no such file). */
    public static DockerIgnore of(Path root) {
        Path file = root.resolve(".dockerignore");
        try {
            return new DockerIgnore(Files.isRegularFile(file) ? Files.readAllLines(file) : List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when {@code relative} (a path inside the context) or a folder it is in is left out of the context. */
    public boolean ignores(Path relative) {
        for (Path p = relative; p != null && !p.toString().isEmpty(); p = p.getParent()) {
            for (PathMatcher m : patterns) if (m.matches(p)) return true;
        }
        return false;
    }
}
