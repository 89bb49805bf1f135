package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Heap;
import io.workjs.server.support.Await;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client that stops reading is dropped; the others in its group keep their pace. */
@Timeout(120)
class SlowClientTest {
    static final int QUEUE = 256 * 1024;
    static final Limits LIMITS = Limits.DEFAULTS.with(Limits.MAX_QUEUED_BYTES, QUEUE)
            .with(RuntimeLimits.CALLS_PER_SECOND, 1000).with(RuntimeLimits.CALL_BURST, 1000).with(RuntimeLimits.CALL_TIMEOUT, 5000);
    static final int EVENTS = 20_000;
    static final int BATCH = 100;   // 100 kB per call: a burst well under the queue bound, which a reader keeps up with
    static final int SIZE = 1000;

    @Test
    void clientThatStopsReadingIsDroppedAndOthersKeepTheirPace(@TempDir Path temp) throws Exception {
        try (TestSite site = TestSite.start("bounds", temp, LIMITS); LogCapture log = new LogCapture()) {
            long heapBefore = Heap.usedAfterGc();
            deliveryNanos(site, "warm", null);
            long alone = deliveryNanos(site, "alone", null);
            WebSocket slow = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(site.url().replaceFirst("^http", "ws") + "/room/shared"), new NeverReads()).join();
            long shared = deliveryNanos(site, "shared", slow);
            log.await("is too slow: more than " + QUEUE + " bytes waiting to be sent; dropped");
            Await.until("the slow client's exit() ran", () -> exits(site, "shared") == 2);   // the slow one's and the fast one's
            double ratio = (double) alone / shared;
            System.out.printf("fast client: %d events of %d B alone in %d ms, beside a stalled client in %d ms (rate ratio %.2f)%n",
                    EVENTS, SIZE, alone / 1_000_000, shared / 1_000_000, ratio);
            assertTrue(ratio >= 0.5, "the fast client slowed to " + ratio + " of its pace");
            slow.abort();
            long heapAfter = Heap.usedAfterGc();
            System.out.printf("heap after GC: %d MiB before, %d MiB after%n", heapBefore >> 20, heapAfter >> 20);
            assertTrue(heapAfter < heapBefore + (64L << 20), "heap grew from " + (heapBefore >> 20) + " to " + (heapAfter >> 20) + " MiB");
        }
    }

    /** How long a fast client in {@code room} takes to receive EVENTS events it asked for, in ns. */
    private static long deliveryNanos(TestSite site, String room, WebSocket slow) {
        try (WsClient fast = site.connect("/room/" + room)) {
            long start = System.nanoTime();
            for (int from = 0; from < EVENTS; from += BATCH) {
                fast.send("[\"stream\",{\"n\":" + BATCH + ",\"size\":" + SIZE + ",\"from\":" + from + "}]");
                for (int i = from; i < from + BATCH; i++) {
                    String frame = fast.next();
                    assertTrue(frame.startsWith("[\"n\",{\"i\":" + i + ","), frame);
                }
            }
            long took = System.nanoTime() - start;
            if (slow != null) assertEquals(0, site.server().connections() - 1, "the stalled client is still connected");
            return took;
        }
    }

    private static int exits(TestSite site, String room) {
        try (WsClient ws = site.connect("/room/count")) {
            String reply = ws.call("[\"exitsIn\",\"" + room + "\",1]");
            return Integer.parseInt(reply.substring("[\"_rpc\",".length(), reply.lastIndexOf(',')));
        }
    }

    /** Never asks for a frame, so the JDK client stops reading the socket and the server's queue fills. */
    private static final class NeverReads implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
        }
    }
}
