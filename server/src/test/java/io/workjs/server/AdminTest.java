package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.Limits;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.support.Http;
import io.workjs.server.support.Await;
import io.workjs.server.support.FreePorts;
import io.workjs.server.support.PrometheusText;
import io.workjs.server.support.RawUpgrade;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener: /health, /ready and /metrics (docs/OPERATIONS.md), against a real server. */
@Timeout(60)
class AdminTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    private TestSite withAdmin() {
        return TestSite.start("ops", temp, c -> c.withOps(c.ops().withAdminPort(0)));
    }

    private static String admin(TestSite site) {
        return "http://127.0.0.1:" + site.server().adminPort();
    }

    private static PrometheusText metrics(TestSite site) {
        HttpResponse<String> response = Http.get(admin(site) + "/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        return PrometheusText.parse(response.body());
    }

    @Test
    void theAdminListenerIsOffByDefault() {
        try (TestSite site = TestSite.start("ops", temp)) {
            assertEquals(-1, site.server().adminPort());
        }
    }

    @Test
    void healthAndReadyAnswerOnceTheServerServesAndNothingElseIsServed() {
        try (TestSite site = withAdmin()) {
            assertEquals(200, Http.get(admin(site) + "/health").statusCode());
            HttpResponse<String> ready = Http.get(admin(site) + "/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("ready\n", ready.body());
            assertEquals(404, Http.get(admin(site) + "/m/lobby").statusCode(), "the site is not on the admin port");
            HttpResponse<String> post = Http.send(HttpRequest.newBuilder(URI.create(admin(site) + "/ready"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, post.statusCode());
            assertEquals(404, site.get("/metrics").statusCode(), "metrics are not on the site's port");
        }
    }

    @Test
    void readyIsStartingUntilTheControllersHaveLoaded() throws Exception {
        Path site = TestSite.copy("ops", temp);
        // a controller whose top-level code takes a while: the server is not ready meanwhile
        Files.writeString(site.resolve("m.ws"), "const until = Date.now() + 1500; while (Date.now() < until) {}\n"
                + Files.readString(site.resolve("m.ws")));
        int adminPort = FreePorts.next();
        CompletableFuture<WorkServer> starting = CompletableFuture.supplyAsync(() -> WorkServer.start(
                ServerConfig.defaults(site).withPort(0).withOps(ServerConfig.defaults(site).ops().withAdminPort(adminPort))));
        String ready = "http://127.0.0.1:" + adminPort + "/ready";
        Await.until("the admin listener answers", () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(ready)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() > 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        HttpResponse<String> early = Http.get(ready);
        assertEquals(503, early.statusCode());
        assertEquals("starting\n", early.body());
        try (WorkServer server = starting.join()) {
            assertEquals(200, Http.get(ready).statusCode());
        }
    }

    @Test
    void metricsCountKnownTrafficExactly() {
        try (TestSite site = withAdmin()) {
            int sent = 0;
            try (WsClient a = site.connect("/m/a"); WsClient b = site.connect("/m/a")) {
                for (int i = 1; i <= 3; i++) {
                    String call = "[\"ok\"," + i + "," + i + "]";
                    sent += call.length();
                    assertEquals("[\"_rpc\"," + i + "," + i + "]", a.call(call));
                }
                for (int i = 1; i <= 2; i++) {
                    String call = "[\"fail\",\"NOPE\"," + i + "]";
                    sent += call.length();
                    assertTrue(b.call(call).contains("\"code\":\"NOPE\""));
                }
                for (int i = 1; i <= 5; i++) {
                    String call = "[\"missing" + i + "\",null," + i + "]";
                    sent += call.length();
                    assertTrue(b.call(call).contains("NO_SUCH_FUNCTION"));
                }
                String shout = "[\"shout\",\"hey\",9]";
                sent += shout.length();
                a.send(shout);
                assertEquals("[\"shout\",\"hey\"]", a.next());
                assertEquals("[\"_rpc\",null,9]", a.next());
                assertEquals("[\"shout\",\"hey\"]", b.next());

                try (WsClient denied = site.connect("/m/no")) {
                    assertEquals(1008, denied.awaitClose().code());
                }
                try (RawUpgrade foreign = RawUpgrade.open(site.server().port(), "/m/a", "http://evil.example", null)) {
                    assertEquals(403, foreign.status());
                }
                Await.until("two connections open", () -> metrics(site).value("workjs_connections{route=\"/m/:room\"}") == 2);
            }
            Await.until("both connections are counted closed", () -> metrics(site).value("workjs_connections{route=\"/m/:room\"}") == 0);
            PrometheusText m = metrics(site);
            assertEquals(3, m.value("workjs_connects_total"), m.toString());
            assertEquals(2, m.value("workjs_disconnects_total{reason=\"client\"}"), m.toString());
            assertEquals(1, m.value("workjs_disconnects_total{reason=\"server\"}"), "the denied one: " + m);
            assertEquals(1, m.value("workjs_denied_total{reason=\"init\"}"));
            assertEquals(1, m.value("workjs_denied_total{reason=\"origin\"}"));
            assertEquals(0, m.value("workjs_denied_total{reason=\"limits\"}"));
            assertEquals(3, m.value("workjs_calls_total{controller=\"m.ws\",function=\"ok\",outcome=\"ok\"}"));
            assertEquals(2, m.value("workjs_calls_total{controller=\"m.ws\",function=\"fail\",outcome=\"NOPE\"}"));
            assertEquals(5, m.value("workjs_calls_total{controller=\"m.ws\",function=\"_unknown\",outcome=\"NO_SUCH_FUNCTION\"}"),
                    "one label for every unknown name");
            assertEquals(1, m.value("workjs_calls_total{controller=\"m.ws\",function=\"shout\",outcome=\"ok\"}"));
            assertEquals(6, m.value("workjs_call_duration_seconds_count{controller=\"m.ws\"}"), "functions that ran: " + m);
            assertEquals(6, m.value("workjs_call_duration_seconds_bucket{controller=\"m.ws\",le=\"+Inf\"}"));
            double sum = m.value("workjs_call_duration_seconds_sum{controller=\"m.ws\"}");
            assertTrue(sum > 0 && sum < 6 * 0.5, "six quick calls, timed finer than milliseconds: " + sum);
            assertEquals(1, m.value("workjs_events_emitted_total"));
            assertEquals(3 + 2 + 5 + 1 + 2, m.value("workjs_frames_sent_total"), "10 replies, the shout's reply and 2 events");
            assertEquals(sent, m.value("workjs_bytes_received_total"));
            assertTrue(m.value("workjs_bytes_sent_total") > 0);
            assertEquals(0, m.value("workjs_slow_clients_dropped_total"));
            assertTrue(m.has("workjs_js_loop_lag_seconds") && m.has("workjs_js_loop_busy_ratio"), m.toString());
            assertEquals(RuntimeLimits.DEFAULTS.get(RuntimeLimits.DB_POOL_SIZE), m.value("hikaricp_connections_max{pool=\"workjs-db\"}"));
            assertTrue(m.count("jvm_memory_used_bytes{") > 0 && m.count("jvm_gc_") > 0, "JVM memory and GC");
        }
    }

    @Test
    void errorCodesPastTheBoundCountAsOther() {
        try (TestSite site = withAdmin(); WsClient ws = site.connect("/m/codes")) {
            for (int i = 0; i < 40; i++) ws.call("[\"fail\",\"CODE_" + i + "\"," + i + "]");
            PrometheusText m = metrics(site);
            assertEquals(32, m.count("workjs_calls_total{controller=\"m.ws\",function=\"fail\",outcome=\"CODE_"));
            assertEquals(8, m.value("workjs_calls_total{controller=\"m.ws\",function=\"fail\",outcome=\"OTHER\"}"));
        }
    }

    @Test
    void aBusyLoopShowsAsLagAndBusyShare() {
        try (TestSite site = withAdmin(); WsClient ws = site.connect("/m/busy")) {
            ws.send("[\"busy\",1500,1]");
            Await.until("the lag shows the busy call", () -> metrics(site).value("workjs_js_loop_lag_seconds") >= 0.5);
            Await.until("the busy share shows it", () -> metrics(site).value("workjs_js_loop_busy_ratio") >= 0.5);
            assertEquals("[\"_rpc\",1500,1]", ws.next());
        }
    }

    @Test
    void aStoppedCallIsCountedAsAnInterruptAndATimeout() {
        Limits limits = Limits.DEFAULTS.with(RuntimeLimits.CALL_TIMEOUT, 100);
        try (TestSite site = TestSite.start("ops", temp, c -> c.withLimits(limits).withOps(c.ops().withAdminPort(0)));
                WsClient ws = site.connect("/m/spin")) {
            assertTrue(ws.call("[\"spin\",null,1]").contains("TIMEOUT"));
            PrometheusText m = metrics(site);
            assertEquals(1, m.value("workjs_watchdog_interrupts_total"));
            assertEquals(1, m.value("workjs_calls_total{controller=\"m.ws\",function=\"spin\",outcome=\"TIMEOUT\"}"));
        }
    }

    @Test
    void resumesAreCountedByOutcome() {
        try (TestSite site = withAdmin();
                ResumeClient forged = ResumeClient.connectWithToken(site.url(), "/m/r", "not-a-token");
                ResumeClient client = ResumeClient.connect(site.url(), "/m/r")) {
            assertEquals("UNKNOWN_TOKEN", forged.welcomes.get(0).reason());
            client.abandon();   // the network drops; the client comes back on a new socket
            assertTrue(client.awaitWelcome().resumed());
            PrometheusText m = metrics(site);
            assertEquals(1, m.value("workjs_resumes_total{outcome=\"unknown_token\"}"), m.toString());
            assertEquals(1, m.value("workjs_resumes_total{outcome=\"resumed\"}"), m.toString());
        }
    }
}
