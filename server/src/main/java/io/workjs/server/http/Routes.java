package io.workjs.server.http;

import io.workjs.runtime.Controller;
import io.workjs.server.routing.Route;
import io.workjs.server.routing.Router;
import java.util.function.Function;

/**
 * The site's routes as they are now: the router, and the controller of each WebSocket route.
 * A request reads them once; development mode replaces them whole when MAP changes.
 */
public record Routes(Router router, Function<Route, Controller> controllers) {
}
