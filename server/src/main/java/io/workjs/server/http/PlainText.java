package io.workjs.server.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** The one way this server answers with a short plain-text message: refusals, errors, 404s. */
public final class PlainText {
    private PlainText() {
    }

    /** Ends the exchange with {@code status} and {@code text} (a line break is added) as UTF-8 plain text. */
    public static void send(HttpServerExchange exchange, int status, String text) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(text + "\n");
    }
}
