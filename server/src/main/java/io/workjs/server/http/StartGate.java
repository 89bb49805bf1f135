package io.workjs.server.http;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's first handler while the server starts: the port is open early, so that
 * Undertow starts while GraalJS builds its context, and a request that arrives before the site
 * handler exists waits here, without holding a thread, until {@link #open} passes it on.
 */
public final class StartGate implements HttpHandler {
    private final CompletableFuture<HttpHandler> ready = new CompletableFuture<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile HttpHandler next;

    /** Passes every request to {@code handler} from now on, the waiting ones included. */
    public void open(HttpHandler handler) {
        next = handler;
        ready.complete(handler);
    }

    /** Requests waiting for {@link #open}; for tests. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpHandler handler = next;
        if (handler != null) {
            handler.handleRequest(exchange);
            return;
        }
        waiting.incrementAndGet();
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> ready.thenAccept(h -> exchange.getIoThread().execute(() -> {
            waiting.decrementAndGet();
            Connectors.executeRootHandler(h, exchange);
        })));
    }
}
