package io.workjs.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.workjs.runtime.Controller;
import io.workjs.server.routing.Route;
import io.workjs.server.routing.RouteMatch;
import io.workjs.server.security.ConnectionLimits;
import io.workjs.server.security.UpgradeGuard;
import io.workjs.server.transport.WsEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP face of a site: the client ({@code /_workjs/ws.js} and {@code ws.mjs}), the session
 * renewal ({@code /_workjs/session}), {@code /static/},
 * and the MAP's routes, each answered with its page or, for a WebSocket upgrade on a {@code ws}
 * route, a connection.
 */
public final class SiteHandler implements HttpHandler {
    private final Supplier<Routes> routes;
    private final WsEndpoint endpoint;
    private final UpgradeGuard guard;
    private final Consumer<HttpServerExchange> sessionCookie;

    private SiteHandler(Supplier<Routes> routes, WsEndpoint endpoint, UpgradeGuard guard, Consumer<HttpServerExchange> sessionCookie) {
        this.routes = routes;
        this.endpoint = endpoint;
        this.guard = guard;
        this.sessionCookie = sessionCookie;
    }

    /**
     * The whole handler chain for a site directory; {@code routes} gives the routes as they are
     * now (with every {@link Route#websocket() WebSocket route}'s controller); {@code sessionCookie}
     * sets the session cookie on the pages of routes with the {@code session} flag, and
     * {@code renewal} at {@code renewPath} gives a browser its regenerated session's cookie. In
     * {@code development} mode static files are revalidated on every request.
     */
    public static HttpHandler create(Path site, Supplier<Routes> routes, WsEndpoint endpoint, UpgradeGuard guard,
            Consumer<HttpServerExchange> sessionCookie, String renewPath, HttpHandler renewal, boolean development) {
        return ClientScript.addTo(new PathHandler(new SiteHandler(routes, endpoint, guard, sessionCookie)))
                .addExactPath(renewPath, renewal)
                .addPrefixPath("/static", new StaticFiles(site.resolve("static"), development));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String method = exchange.getRequestMethod().toString();
        Routes now = routes.get();
        RouteMatch match = now.map().router().match(method, rawPath(exchange)).orElse(null);
        if (match == null && now.map().router().match("GET", rawPath(exchange)).isPresent()) {
            notAllowed(exchange);   // the page is there, just not for this method
            return;
        }
        if (match == null) {
            PlainText.send(exchange, StatusCodes.NOT_FOUND, "Not Found");
            return;
        }
        Route route = match.route();
        if (isUpgrade(exchange)) {
            if (!route.websocket()) {
                PlainText.send(exchange, StatusCodes.BAD_REQUEST, "WebSockets are not enabled for this route (set the ws flag in MAP)");
                return;
            }
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET");
                PlainText.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "a WebSocket upgrade is a GET request");
                return;
            }
            ConnectionLimits.Slot slot = guard.admit(exchange);   // admission, origin and limits, before any controller code
            if (slot == null) return;
            exchange.putAttachment(WsEndpoint.PLACE, slot);
            Controller controller = now.controllers().apply(route);
            endpoint.upgrade(exchange, route.pattern(), controller, context(exchange, match));
            guard.settle(exchange, slot);
            return;
        }
        boolean get = exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD);
        if (!get) {
            notAllowed(exchange);
            return;
        }
        Path page = route.page();
        boolean withClient = route.websocket();
        boolean withSession = route.flag("session", "GET");
        // Reading the page blocks, so it happens on a worker thread, never on an I/O thread.
        exchange.dispatch(worker -> {
            if (!Files.isRegularFile(page)) {
                PlainText.send(worker, StatusCodes.NOT_FOUND, "Not Found");
                return;
            }
            if (withSession) sessionCookie.accept(worker);
            Pages.send(worker, page, withClient);
        });
    }

    /** URL variables, the wildcard's {@code _location}, and query parameters (first value; variables win). */
    private static Map<String, String> context(HttpServerExchange exchange, RouteMatch match) {
        Map<String, String> context = new LinkedHashMap<>();
        for (Map.Entry<String, Deque<String>> q : exchange.getQueryParameters().entrySet()) {
            if (!q.getValue().isEmpty()) context.put(q.getKey(), q.getValue().getFirst());
        }
        context.putAll(match.params());
        return context;
    }

    private static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** The path as the client sent it, still percent-encoded: the router decodes each segment itself. */
    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            int slash = uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    /** Pages answer GET and HEAD only. */
    private static void notAllowed(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        PlainText.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "Method Not Allowed");
    }
}
