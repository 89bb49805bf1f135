package io.workjs.server.routing;

import java.util.Map;
import java.util.Objects;

/**
 * The route a request found and the path params it gave: variables by name (without the colon)
 * and {@code _location} for a wildcard's rest of the path.
 *
 * @param route  the first route in MAP order that fits
 * @param params unmodifiable, decoded param values
 */
public record RouteMatch(Route route, Map<String, String> params) {
    /** Keeps the params unmodifiable whatever map the caller passes. */
    public RouteMatch {
        Objects.requireNonNull(route, "route");
        params = Map.copyOf(params);
    }
}
