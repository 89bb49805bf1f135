package io.workjs.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.ETag;
import io.undertow.util.ETagUtils;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Serves one file of the browser client (client-js) under {@code /_workjs/}, revalidated by ETag. */
public final class ClientScript implements HttpHandler {
    /** Where pages load the client from; the server inserts a script tag with this src. */
    public static final String PATH = "/_workjs/ws.js";
    /** The classic script, and the same client as an ES module ({@code import worksocket from '/_workjs/ws.mjs'}). */
    private static final List<String> FILES = List.of("ws.js", "ws.mjs");

    private final byte[] body;
    private final ETag etag;

    ClientScript(String file) {
        String resource = "/io/workjs/client/" + file;
        try (InputStream in = ClientScript.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the client " + resource + " is missing from the class path");
            body = in.readAllBytes();
            etag = new ETag(false, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 8));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the client " + resource, e);
        }
    }

    /** Adds every client file to {@code paths}, each at {@code /_workjs/<file>}. */
    static PathHandler addTo(PathHandler paths) {
        for (String file : FILES) paths.addExactPath("/_workjs/" + file, new ClientScript(file));
        return paths;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(Headers.ETAG, etag.toString());
        if (!ETagUtils.handleIfNoneMatch(exchange, etag, false)) {
            exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
            exchange.endExchange();
            return;
        }
        // Both files are JavaScript: a module script must be served with a JavaScript MIME type.
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/javascript; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
