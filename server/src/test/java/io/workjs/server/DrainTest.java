package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Http;
import io.workjs.server.support.Await;
import io.workjs.server.support.PrometheusText;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The graceful drain a SIGTERM starts (WorkServer.drain, docs/OPERATIONS.md), on a real server. */
@Timeout(60)
class DrainTest {

    @TempDir
    Path temp;

    private TestSite draining(int seconds) {
        return TestSite.start("ops", temp, c -> c.withOps(c.ops().withDrainSeconds(seconds).withAdminPort(0)));
    }

    private static HttpResponse<String> admin(TestSite site, String path) {
        return Http.get("http://127.0.0.1:" + site.server().adminPort() + path);
    }

    @Test
    void aDrainAnswersTheCallsInFlightThenClosesEveryConnectionWith1012SpreadOverItsTime() {
        try (TestSite site = draining(2)) {
            List<WsClient> clients = new ArrayList<>();
            ConcurrentLinkedQueue<Long> closedAt = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                WsClient c = site.connect("/m/drain");
                c.closing().thenRun(() -> closedAt.add(System.nanoTime() - start));
                c.send("[\"later\",300,1]");   // in flight when the drain begins
                assertEquals("[\"_rpc\",0,0]", c.call("[\"ok\",0,0]"), "the server has the call in flight");
                clients.add(c);
            }
            CompletableFuture<Void> drained = CompletableFuture.runAsync(site.server()::drain);
            Await.until("/ready says draining", () -> admin(site, "/ready").statusCode() == 503);
            assertEquals("draining\n", admin(site, "/ready").body());
            assertEquals(200, admin(site, "/health").statusCode(), "the process is still healthy");
            assertEquals(503, WsClient.refusedStatus(site.url(), "/m/drain"), "no new upgrades while draining");
            for (WsClient c : clients) {
                assertEquals("[\"_rpc\",\"done\",1]", c.next(), "the call in flight is answered before the close");
                WsClient.Close close = c.awaitClose();
                assertEquals(1012, close.code());
                assertEquals("server is restarting: connect again", close.reason());
            }
            drained.join();
            long first = closedAt.stream().min(Long::compare).orElseThrow();
            long last = closedAt.stream().max(Long::compare).orElseThrow();
            assertTrue(last - first >= 600_000_000L, "the closes are spread over the drain: " + (last - first) / 1_000_000 + " ms");
            assertTrue((System.nanoTime() - start) < 2_000_000_000L + 1_500_000_000L, "the drain ends once every socket is gone");
            PrometheusText m = PrometheusText.parse(admin(site, "/metrics").body());
            assertEquals(8, m.value("workjs_disconnects_total{reason=\"drain\"}"), m.toString());
            for (WsClient c : clients) c.close();
        }
    }

    @Test
    void aDrainGivesUpOnACallThatNeverEndsWhenItsTimeIsOverAndTheStopClosesWith1001() {
        try (TestSite site = draining(1); WsClient stuck = site.connect("/m/stuck")) {
            stuck.send("[\"never\",null,1]");
            assertEquals("[\"_rpc\",2,2]", stuck.call("[\"ok\",2,2]"), "the never-ending call is running");
            long start = System.nanoTime();
            site.server().drain();
            long took = System.nanoTime() - start;
            assertTrue(took >= 900_000_000L && took < 5_000_000_000L, "the drain took " + took / 1_000_000 + " ms");
            assertFalse(stuck.isClosed(), "its call was never answered, so the drain did not close it");
            site.server().stop();
            assertEquals(1001, stuck.awaitClose().code());
        }
    }

    @Test
    void aConnectionWithNothingInFlightIsClosedAtItsTurn() {
        try (TestSite site = draining(1); WsClient idle = site.connect("/m/idle")) {
            assertEquals("[\"_rpc\",1,1]", idle.call("[\"ok\",1,1]"));
            site.server().drain();
            assertEquals(1012, idle.awaitClose().code());
        }
    }
}
