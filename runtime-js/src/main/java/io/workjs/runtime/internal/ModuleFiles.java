package io.workjs.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and reads the files that controllers may {@code require}: {@code .js} and {@code .json}
 * files inside the site directory, reached by a relative path, with symbolic links resolved so
 * that none leads outside.
 */
final class ModuleFiles {
    private final Path root;

    ModuleFiles(Path siteDir) {
        try {
            this.root = siteDir.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("site directory " + siteDir + " is not readable: " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    /** Resolves {@code spec} as required from {@code fromFile}; returns the site-relative path. */
    String resolve(String fromFile, String spec) throws ModuleException {
        String where = "require('" + spec + "') in " + fromFile;
        if (!(spec.startsWith("./") || spec.startsWith("../"))) {
            throw new ModuleException(ModuleException.REFUSED, where + ": only files of the site can be required, by a path starting with ./ or ../");
        }
        Path base = root.resolve(fromFile).getParent();
        Path wanted = base.resolve(spec).normalize();
        if (!wanted.startsWith(root)) {
            throw new ModuleException(ModuleException.REFUSED, where + ": the path leads outside the site directory");
        }
        for (Path candidate : List.of(wanted, sibling(wanted, ".js"), sibling(wanted, ".json"), wanted.resolve("index.js"))) {
            if (!Files.isRegularFile(candidate)) continue;
            String name = candidate.getFileName().toString();
            if (!(name.endsWith(".js") || name.endsWith(".json"))) {
                throw new ModuleException(ModuleException.REFUSED, where + ": only .js and .json files can be required");
            }
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException e) {
                throw new ModuleException(ModuleException.NOT_FOUND, where + ": " + e.getMessage());
            }
            if (!real.startsWith(root)) {
                throw new ModuleException(ModuleException.REFUSED, where + ": the path leads outside the site directory");
            }
            return relative(real);
        }
        throw new ModuleException(ModuleException.NOT_FOUND, where + ": no such file");
    }

    /** Reads a file that {@link #resolve} returned. */
    String read(String file) throws ModuleException {
        try {
            return Files.readString(root.resolve(file));
        } catch (IOException e) {
            throw new ModuleException(ModuleException.NOT_FOUND, "cannot read " + file + ": " + e.getMessage());
        }
    }

    String relative(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static Path sibling(Path path, String extension) {
        return path.resolveSibling(path.getFileName() + extension);
    }

    /** A require that cannot be satisfied; it reaches the JS caller as an Error with its code. */
    static final class ModuleException extends Exception {
        /** No such file (Node's code for the same). */
        static final String NOT_FOUND = "MODULE_NOT_FOUND";
        /** A path that may not be required: outside the site, not relative, not .js or .json. */
        static final String REFUSED = "MODULE_REFUSED";

        private final String code;

        ModuleException(String code, String message) {
            super(message);
            this.code = code;
        }

        String code() {
            return code;
        }
    }
}
