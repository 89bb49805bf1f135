package io.workjs.server.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of resumable connections for tests, speaking the protocol of docs/PROTOCOL.md as the
 * shipped client does: it offers the subprotocol, says hello with its token, numbers and keeps
 * what it sends until acknowledged, resends after a resume, acknowledges what it receives, and
 * reconnects by itself when its socket drops (unless told to wait). Messages (events, replies,
 * errors) land in {@link #messages} in the order received, each exactly as it arrived.
 */
public final class ResumeClient implements AutoCloseable {
    public static final String PROTOCOL = "workjs.resume.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One {@code _welcome}: the token, whether it resumed, the server's count of our messages, and why not. */
    public record Welcome(boolean resumed, long received, String reason, long heartbeatMs, boolean moved, String lost) {
    }

    private final URI uri;
    private volatile String[] headers;
    private final Object lock = new Object();
    /** Messages received, in order: events and whatever else is not a reply to {@link #call} (those complete its future). */
    public final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    /** Every welcome, in order. */
    public final List<Welcome> welcomes = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Welcome> freshWelcomes = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<String>> replies = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();
    private static final java.util.concurrent.ScheduledExecutorService LIVENESS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("resume-client").unstarted(r));

    // Guarded by lock.
    private WebSocket socket;
    private boolean welcomed;
    private String token;
    private long received;          // messages received
    private long acknowledged;      // the last count we told the server
    private long sentFirst = 1;     // number of the oldest message kept in unacknowledged
    private final ArrayDeque<String> unacknowledged = new ArrayDeque<>();
    private boolean reconnect = true;
    private volatile boolean closed;
    private int sockets;
    private long heartbeatMs;
    private long heardNanos = System.nanoTime();
    private String lastEvent;       // the position of the last group event (a cluster's), told on a resume
    private volatile URI target;
    private boolean connecting;     // a socket is being opened

    private ResumeClient(URI uri, String token, String[] headers) {
        this.uri = uri;
        this.target = uri;
        this.token = token;
        this.headers = headers;
        LIVENESS.scheduleWithFixedDelay(this::checkLiveness, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Connects to {@code ws://...path} of {@code httpBase} and waits for the first welcome. */
    public static ResumeClient connect(String httpBase, String path, String... headers) {
        return connectWithToken(httpBase, path, null, headers);
    }

    /** Connects saying hello with {@code token} (another client's, a forged one), and waits for the welcome. */
    public static ResumeClient connectWithToken(String httpBase, String path, String token, String... headers) {
        ResumeClient client = new ResumeClient(URI.create(httpBase.replaceFirst("^http", "ws") + path), token, headers);
        client.open();
        client.awaitWelcome();
        return client;
    }

    /**
     * As the shipped client: a socket on which nothing arrived for the welcome's heartbeatMs is
     * given up (the server pings visibly, so silence means the network is gone) and replaced.
     */
    private void checkLiveness() {
        boolean silent;
        synchronized (lock) {
            silent = socket != null && welcomed && heartbeatMs > 0
                    && System.nanoTime() - heardNanos > TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
        }
        if (silent) abandon();
        if (closed) throw new IllegalStateException("closed: stop checking");   // ends the scheduled task
    }

    /** One socket at a time, as the shipped client: a second attempt while one is under way or open does nothing. */
    private void open() {
        synchronized (lock) {
            if (connecting || socket != null || closed) return;
            connecting = true;
        }
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).subprotocols(PROTOCOL);
        for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        builder.buildAsync(target, new Listener()).whenComplete((ws, e) -> {
            synchronized (lock) {
                connecting = false;
            }
            if (e != null) retryLater();
        });
    }

    private void retryLater() {
        synchronized (lock) {
            if (closed || !reconnect) return;
        }
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(this::open);
    }

    /** The next welcome (after the one the client has seen), waiting up to 10 s. */
    public Welcome awaitWelcome() {
        try {
            Welcome w = freshWelcomes.poll(10, TimeUnit.SECONDS);
            if (w == null) throw new AssertionError("no welcome within 10 s");
            return w;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Calls {@code name(param)}; the reply (the whole frame) completes the future. */
    public CompletableFuture<String> call(String name, String paramJson) {
        String s = "c" + seq.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.put(s, reply);
        send("[\"" + name + "\"," + paramJson + ",\"" + s + "\"]");
        return reply;
    }

    /** Sends a message: numbered, kept until acknowledged, resent after a resume. */
    public void send(String frame) {
        synchronized (lock) {
            unacknowledged.add(frame);
            if (socket != null && welcomed) sendOn(socket, frame);
        }
    }

    /** The next message, waiting up to 10 s. */
    public String next() {
        try {
            String m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("no message within 10 s");
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** From now on the client connects to {@code httpBase} (another node), the same path. */
    public void moveTo(String httpBase) {
        target = URI.create(httpBase.replaceFirst("^http", "ws") + uri.getRawPath());
    }

    /** The headers of the next sockets (a new session cookie, say). */
    public void headers(String... headers) {
        this.headers = headers.clone();
    }

    /** While false, a dropped socket is not replaced (the test says when the client comes back). */
    public void reconnect(boolean on) {
        boolean now;
        synchronized (lock) {
            reconnect = on;
            now = on && socket == null && !closed;
        }
        if (now) open();
    }

    /** Drops the socket without a close frame, as a client whose network died, and (if allowed) comes back. */
    public void abandon() {
        WebSocket s;
        synchronized (lock) {
            s = socket;
            socket = null;
            welcomed = false;
        }
        if (s != null) s.abort();
        retryLater();
    }

    /** The resume token the client holds; for tests of refused tokens. */
    public String token() {
        synchronized (lock) {
            return token;
        }
    }

    /** What the client knows of itself, for a failure message. */
    public String describe() {
        synchronized (lock) {
            return "sockets " + sockets + ", connected " + (socket != null) + ", welcomed " + welcomed + ", received " + received
                    + ", unacknowledged " + unacknowledged.size() + " from " + sentFirst + ", welcomes " + welcomes;
        }
    }

    /** Sockets opened so far. */
    public int sockets() {
        synchronized (lock) {
            return sockets;
        }
    }

    /** Sends a bare frame on the socket now, bypassing numbering: for tests of the protocol itself. */
    public void raw(String frame) {
        synchronized (lock) {
            sendOn(socket, frame);
        }
    }

    /**
     * Sends one frame and waits until it is handed to the network. A socket that is dying fails
     * the send: nothing is lost, since a message stays kept until acknowledged and goes again
     * after the resume, and the socket's end comes through the listener.
     */
    private static void sendOn(WebSocket ws, String frame) {
        try {
            ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IllegalStateException e) {
            // the socket is going: see above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Acknowledges everything received so far. */
    public void acknowledge() {
        synchronized (lock) {
            if (socket != null && welcomed && received > acknowledged) {
                acknowledged = received;
                sendOn(socket, "[\"_ack\"," + received + "]");
            }
        }
    }

    /** Closes for good, as the shipped client does: {@code _bye} (the connection ends now), then the close. */
    @Override
    public void close() {
        WebSocket s;
        synchronized (lock) {
            closed = true;
            s = socket;
            socket = null;
            if (s != null && welcomed) sendOn(s, "[\"_bye\",null]");
        }
        if (s != null) s.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }

    private void welcome(WebSocket ws, JsonObject w) {
        Welcome welcome = new Welcome(w.get("resumed").getAsBoolean(), w.get("received").getAsLong(),
                w.has("reason") ? w.get("reason").getAsString() : null, w.get("heartbeatMs").getAsLong(),
                w.has("moved") && w.get("moved").getAsBoolean(), w.has("lost") ? w.get("lost").getAsString() : null);
        synchronized (lock) {
            token = w.get("token").getAsString();
            heartbeatMs = welcome.heartbeatMs();
            if (welcome.resumed() && welcome.lost() == null) {
                // forget what the server has, resend the rest in order
                while (sentFirst <= welcome.received() && !unacknowledged.isEmpty()) {
                    unacknowledged.removeFirst();
                    sentFirst++;
                }
                for (String frame : unacknowledged) sendOn(ws, frame);
            } else {
                received = 0;
                acknowledged = 0;
                sentFirst = 1;
                unacknowledged.clear();
                if (!welcome.resumed()) lastEvent = null;   // a new connection; resumed on another node, positions go on
                for (CompletableFuture<String> r : replies.values()) r.completeExceptionally(new IllegalStateException("DISCONNECTED"));
                replies.clear();
            }
            welcomed = true;
        }
        welcomes.add(welcome);
        freshWelcomes.add(welcome);
    }

    private static boolean later(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        long ams = Long.parseLong(x[0]);
        long bms = Long.parseLong(y[0]);
        return ams != bms ? ams > bms : Long.parseLong(x[1]) > Long.parseLong(y[1]);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            synchronized (lock) {
                connecting = false;
                socket = ws;
                sockets++;
                heardNanos = System.nanoTime();
                JsonObject hello = new JsonObject();
                hello.addProperty("token", token);
                hello.addProperty("received", received);
                if (token != null && lastEvent != null) hello.addProperty("event", lastEvent);
                sendOn(ws, "[\"_hello\"," + hello + "]");
            }
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                handle(ws, frame);
            }
            ws.request(1);
            return null;
        }

        private void handle(WebSocket ws, String frame) {
            synchronized (lock) {
                if (ws != socket) return;
                heardNanos = System.nanoTime();
            }
            if (frame.startsWith("[\"_welcome\"")) {
                welcome(ws, JsonParser.parseString(frame).getAsJsonArray().get(1).getAsJsonObject());
                return;
            }
            if (frame.startsWith("[\"_ack\"")) {
                long n = JsonParser.parseString(frame).getAsJsonArray().get(1).getAsLong();
                synchronized (lock) {
                    while (sentFirst <= n && !unacknowledged.isEmpty()) {
                        unacknowledged.removeFirst();
                        sentFirst++;
                    }
                }
                return;
            }
            if (frame.startsWith("[\"_ping\"")) return;
            synchronized (lock) {
                received++;
                if (received - acknowledged >= 16) {
                    acknowledged = received;
                    sendOn(ws, "[\"_ack\"," + received + "]");
                }
            }
            JsonElement parsed = JsonParser.parseString(frame);
            if (parsed.isJsonArray()) {
                JsonArray a = parsed.getAsJsonArray();
                if (a.size() == 3 && !a.get(0).getAsString().equals("_rpc") && a.get(2).isJsonPrimitive()) {
                    // A cluster's event with its position: as the shipped client, a repeat is dropped.
                    String position = a.get(2).getAsString();
                    synchronized (lock) {
                        if (lastEvent != null && !later(position, lastEvent)) return;
                        lastEvent = position;
                    }
                }
                if (a.size() >= 3 && a.get(0).getAsString().equals("_rpc") && a.get(2).isJsonPrimitive()) {
                    CompletableFuture<String> r = replies.remove(a.get(2).getAsString());
                    if (r != null) {
                        r.complete(frame);
                        return;
                    }
                }
            }
            messages.add(frame);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            dropped(ws);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            dropped(ws);
        }

        private void dropped(WebSocket ws) {
            synchronized (lock) {
                if (ws != socket) return;
                socket = null;
                welcomed = false;
            }
            retryLater();
        }
    }
}
