package io.workjs.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
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

/** Serves the browser client (client-js) at {@link #PATH}, revalidated by ETag. */
public final class ClientScript implements HttpHandler {
    /** Where pages load the client from; the server inserts a script tag with this src. */
    public static final String PATH = "/_workjs/ws.js";
    private static final String RESOURCE = "/io/workjs/client/ws.js";

    private final byte[] body;
    private final ETag etag;

    public ClientScript() {
        try (InputStream in = ClientScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the client " + RESOURCE + " is missing from the class path");
            body = in.readAllBytes();
            etag = new ETag(false, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 8));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the client " + RESOURCE, e);
        }
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
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/javascript; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
