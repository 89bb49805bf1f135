package io.workjs.server.http;

import io.workjs.runtime.Controller;
import io.workjs.server.routing.Route;
import io.workjs.server.routing.RouteMap;
import java.util.function.Function;

/**
 * The site's routes as they are now: the loaded MAP, and the controller of each WebSocket route.
 * A request reads them once; development mode replaces them whole when MAP changes.
 */
public record Routes(RouteMap map, Function<Route, Controller> controllers) {
}
