package io.workjs.server.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.workjs.server.http.PlainText;

/**
 * The admin listener (CONF {@code adminPort}, docs/OPERATIONS.md): {@code GET /metrics} in
 * Prometheus's text format, {@code GET /health} (200 while the process runs) and
 * {@code GET /ready} (200 when the server should get traffic, else 503 saying why). Nothing
 * else: no site, no WebSockets. Requests run on a worker thread, since a scrape reads the JS loop.
 */
public final class AdminHandler implements HttpHandler {
    /** Prometheus's text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;
    private final Readiness readiness;

    public AdminHandler(ServerMetrics metrics, Readiness readiness) {
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        String path = exchange.getRequestPath();
        if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/ready")) {
            PlainText.send(exchange, StatusCodes.NOT_FOUND, "not found: the admin listener serves /metrics, /health and /ready");
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            PlainText.send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "only GET and HEAD");
            return;
        }
        switch (path) {
            case "/metrics" -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PROMETHEUS_TEXT);
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.getResponseSender().send(metrics.scrape());
            }
            case "/health" -> PlainText.send(exchange, StatusCodes.OK, "ok");
            default -> {
                String why = readiness.notReady();
                if (why == null) PlainText.send(exchange, StatusCodes.OK, "ready");
                else PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE, why);
            }
        }
    }
}
