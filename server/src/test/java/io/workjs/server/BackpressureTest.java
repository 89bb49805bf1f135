package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Await;
import io.workjs.server.support.Heap;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inbound backpressure: clients that send faster than the controller can answer are paused at
 * the socket (TCP pushes back), so the server's heap stays flat, and the loop takes turns, so a
 * well-behaved client is served throughout.
 */
@Timeout(120)
class BackpressureTest {
    /** Flooding clients: each sends within its own rate limit (100 calls/s), all together far more than the loop can run. */
    static final int FLOODERS = 100;
    /** Each flood call holds the loop this long, in ms: the loop runs at most 500 of them a second. */
    static final int WORK_MS = 2;
    /** A kilobyte of padding per flood frame, so that frames piling up would show in the heap at once. */
    static final String PADDING = "x".repeat(1024);

    @RegisterExtension
    static final RunningSite site = new RunningSite("flood", Limits.DEFAULTS.with(RuntimeLimits.MAX_PENDING_FRAMES, 16));

    /** The same site with no rate limit, so that one connection can flood as fast as its socket goes. */
    @RegisterExtension
    static final RunningSite unlimited = new RunningSite("flood", Limits.DEFAULTS
            .with(RuntimeLimits.CALLS_PER_SECOND, 1_000_000).with(RuntimeLimits.CALL_BURST, 1_000_000));

    @Test
    void aFloodOfManyConnectionsAgainstASlowControllerKeepsTheHeapFlatAndAPoliteClientServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Flooder> flooders = new ArrayList<>();
        for (int i = 0; i < FLOODERS; i++) flooders.add(new Flooder(http, site.url(), "[\"work\",{\"ms\":" + WORK_MS + ",\"pad\":\"" + PADDING + "\"}]"));
        try (WsClient polite = site.connect("/flood/polite")) {
            assertEquals("[\"_rpc\",0,0]", polite.call("[\"echo\",0,0]"));
            for (Flooder f : flooders) f.start(100);
            // Measured from when the queues are mostly full (what they hold, bounded, is then in
            // "before") and the flood has run a while (the JIT's first compilations of it are done).
            Await.until("the flood fills the queues", () -> site.server().pendingFrames() >= FLOODERS * 10 && sent(flooders) >= 30_000);
            long before = Heap.usedAfterGc();
            long worstMillis = 0;
            int calls = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                assertEquals("[\"_rpc\"," + ++calls + "," + calls + "]", polite.call("[\"echo\"," + calls + "," + calls + "]"));
                worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                Thread.sleep(100);   // a person's pace, not a wait for a condition
            }
            long after = Heap.usedAfterGc();
            int pending = site.server().pendingFrames();
            long delivered = sent(flooders);
            for (Flooder f : flooders) f.stop();
            System.out.printf("flood of %d: %d polite calls, slowest %d ms; heap %+d KB; %d frames waiting; %d sent%n",
                    FLOODERS, calls, worstMillis, (after - before) / 1024, pending, delivered);
            // Expected: about one 2 ms frame per busy flooder per polite call, ~0.2 s. Bound: 2 s.
            assertTrue(worstMillis < 2_000, "slowest polite call took " + worstMillis + " ms");
            assertTrue(calls >= 10, "the polite client was served throughout: " + calls + " calls");
            assertTrue(pending <= FLOODERS * 16, "frames waiting stay within the bound: " + pending);
            // Unbounded, the flood would pile up ~1 KB for each of the ~190,000 frames the loop could not run.
            // Bounded, the heap still grows by 13 to 34 MB in a fresh test JVM: a histogram shows the
            // Graal compiler's graphs and caches (it is still compiling the flood), not frames or strings.
            assertTrue(after - before < 64 << 20, "heap grew by " + (after - before) / 1024 + " KB while "
                    + delivered + " frames were handed to the sockets");
        }
    }

    @Test
    void aSingleFloodingConnectionDelaysAnotherConnectionsCallByAboutOneOfItsFrames() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Flooder flooder = new Flooder(http, unlimited.url(), "[\"work\",{\"ms\":10}]");
        try (WsClient other = unlimited.connect("/flood/other")) {
            assertEquals("[\"_rpc\",0,0]", other.call("[\"echo\",0,0]"));
            flooder.start(0);
            // Its queue fills: 64 frames of 10 ms each wait for the loop, and its socket is paused.
            Await.until("the flooder's queue fills", () -> unlimited.server().pendingFrames() >= 63);
            long worstMillis = 0;
            for (int i = 1; i <= 10; i++) {
                long sent = System.nanoTime();
                assertEquals("[\"_rpc\"," + i + "," + i + "]", other.call("[\"echo\"," + i + "," + i + "]"));
                worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
            }
            flooder.stop();
            System.out.printf("one flooder: slowest other call %d ms; %d frames sent%n", worstMillis, flooder.sent.get());
            // Expected: the 10 ms frame running, then one more of the flooder's: ~20 ms. Waiting behind
            // its whole queue would take 640 ms.
            assertTrue(worstMillis < 250, "slowest call took " + worstMillis + " ms behind a flooding connection");
            assertTrue(flooder.sent.get() > 64, "the flooder did flood: " + flooder.sent.get() + " frames");
        }
    }

    /** Frames the flooders' sockets have taken, all together. */
    private static long sent(List<Flooder> flooders) {
        return flooders.stream().mapToLong(f -> f.sent.get()).sum();
    }

    /**
     * A client that sends one frame after another, each as soon as the last one is taken by its
     * socket (and, with a rate, no faster than that many a second); the server's pushback stalls it.
     */
    private static final class Flooder implements WebSocket.Listener {
        final AtomicLong sent = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final String frame;
        private final WebSocket socket;
        private long intervalNanos;
        private long nextNanos;

        Flooder(HttpClient http, String url, String frame) {
            this.frame = frame;
            this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/flood/flood"), this).join();
        }

        void start(int perSecond) {
            intervalNanos = perSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
            nextNanos = System.nanoTime();
            sendNext();
        }

        /** Sends until a send has to wait; a send that completes at once loops here rather than recursing. */
        private void sendNext() {
            while (running.get()) {
                long wait = nextNanos - System.nanoTime();
                CompletableFuture<WebSocket> sending = wait <= 0 ? socket.sendText(frame, true)
                        : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS))
                                .thenCompose(v -> socket.sendText(frame, true));
                if (!sending.isDone()) {
                    sending.whenComplete((ws, e) -> {
                        if (e == null) {
                            counted();
                            sendNext();
                        }
                    });
                    return;
                }
                if (sending.isCompletedExceptionally()) return;
                counted();
            }
        }

        private void counted() {
            sent.incrementAndGet();
            nextNanos = Math.max(nextNanos + intervalNanos, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        }

        void stop() {
            running.set(false);
            socket.abort();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }
    }
}
