package io.workjs.server.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's) for tests: it keeps every text frame it receives, in
 * order, and how the connection closed.
 */
public final class WsClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket socket;

    /** How the server closed the connection. */
    public record Close(int code, String reason) {
    }

    private WsClient(URI uri, String... headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        this.socket = builder
                .buildAsync(uri, new Listener())
                .join();
    }

    /** Opens a connection to {@code ws://host:port/path}; fails the test if the upgrade fails. */
    public static WsClient connect(String httpBase, String path) {
        return new WsClient(URI.create(httpBase.replaceFirst("^http", "ws") + path));
    }

    /** Opens a connection with extra request headers, given as name, value, name, value... (e.g. a Cookie). */
    public static WsClient connect(String httpBase, String path, String... headers) {
        return new WsClient(URI.create(httpBase.replaceFirst("^http", "ws") + path), headers);
    }

    /** Tries to open a connection and returns the HTTP status of the refused upgrade. */
    public static int refusedStatus(String httpBase, String path) {
        try {
            new WsClient(URI.create(httpBase.replaceFirst("^http", "ws") + path)).close();
            throw new AssertionError("upgrade of " + path + " was not refused");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) return h.getResponse().statusCode();
            throw e;
        }
    }

    /** Sends one text frame and waits until it is handed to the network. */
    public WsClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends one text frame if the connection still takes it; false when the server closed it first. */
    public boolean trySend(String text) {
        try {
            socket.sendText(text, true).join();
            return true;
        } catch (CompletionException e) {
            return false;
        }
    }

    /** Sends one binary frame. */
    public WsClient sendBinary(byte[] data) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).join();
        return this;
    }

    /** The next text frame, waiting up to 10 s for it. */
    public String next() {
        try {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) throw new AssertionError("no frame within 10 s; closed: " + closed.getNow(null));
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame if one arrives within the given time, else null. */
    public String poll(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Sends {@code text} and returns the next frame, the reply. */
    public String call(String text) {
        return send(text).next();
    }

    /** Waits up to 10 s for the server to close the connection. */
    public Close awaitClose() {
        try {
            return closed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within 10 s", e);
        }
    }

    /** Completes when the server closes the connection, with how. */
    public CompletableFuture<Close> closing() {
        return closed;
    }

    /** True once the server has closed the connection. */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(-1, String.valueOf(error)));
        }
    }
}
