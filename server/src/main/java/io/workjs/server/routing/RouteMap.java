package io.workjs.server.routing;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** A site's loaded route map: the top-level MAP with every mount resolved. */
public final class RouteMap {
    private final List<Route> routes;
    private final Router router;

    private RouteMap(List<Route> routes) {
        this.routes = routes;
        this.router = new Router(routes);
    }

    /** Loads {@code siteDir}/MAP and its mounts, warning about unknown flags; MapException on a bad line. */
    public static RouteMap load(Path siteDir, Consumer<String> warnings) {
        Objects.requireNonNull(warnings, "warnings");
        return new RouteMap(MapLoader.load(siteDir.toAbsolutePath().normalize(), warnings));
    }

    /** The routes in MAP order (mount contents at the mount line); unmodifiable. */
    public List<Route> routes() {
        return routes;
    }

    /** The router matching requests against these routes. */
    public Router router() {
        return router;
    }
}
