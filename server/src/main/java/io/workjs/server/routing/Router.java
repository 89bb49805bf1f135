package io.workjs.server.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Finds the route for a request: the first in MAP order whose method and path fit. */
public final class Router {
    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The route for {@code method} and the raw, percent-encoded {@code rawPath} (no query string). */
    public Optional<RouteMatch> match(String method, String rawPath) {
        Optional<List<String>> segments = RequestPath.segments(rawPath);
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        String requestMethod = method.toUpperCase(Locale.ROOT);
        for (Route route : routes) {
            if (!Methods.accepts(route.method(), requestMethod)) {
                continue;
            }
            Map<String, String> params = route.match(segments.get());
            if (params != null) {
                return Optional.of(new RouteMatch(route, params));
            }
        }
        return Optional.empty();
    }
}
