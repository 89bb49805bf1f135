package io.workjs.server.routing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A site directory in a temp folder that tests fill with MAP files, then load. */
final class TestSite {
    final Path dir;
    final List<String> warnings = new ArrayList<>();

    TestSite(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code lines} to the site-relative file {@code path}, creating folders. */
    TestSite write(String path, String... lines) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the site, collecting warnings. */
    RouteMap load() {
        return RouteMap.load(dir, warnings::add);
    }

    /** The message of the MapException loading must throw. */
    String loadError() {
        return assertThrows(MapException.class, this::load).getMessage();
    }

    /** The only route of the site. */
    Route onlyRoute() {
        List<Route> routes = load().routes();
        if (routes.size() != 1) {
            throw new AssertionError("expected one route, got " + routes);
        }
        return routes.get(0);
    }
}
