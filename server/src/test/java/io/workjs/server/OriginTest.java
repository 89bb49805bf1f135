package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Await;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.RawUpgrade;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cross-site WebSocket hijacking: only the site's own pages, and CONF's origins, may upgrade. */
@Timeout(60)
class OriginTest {
    @TempDir
    static Path temp;
    /** No CONF origin: the request's own scheme and Host are the site's origin. */
    static TestSite own;
    /** CONF origin https://chat.example, plus two more origins. */
    static TestSite configured;

    @BeforeAll
    static void start() throws IOException {
        own = TestSite.start("security", temp.resolve("own"));
        Path dir = TestSite.copy("security", temp.resolve("configured"));
        Files.writeString(dir.resolve("CONF"),
                "{\"origin\": \"https://chat.example/\", \"origins\": [\"http://localhost:8080\", \"http://App.Example\"]}\n");
        configured = TestSite.serveWithConf(dir);
    }

    @AfterAll
    static void stop() {
        own.close();
        configured.close();
    }

    private static int status(TestSite site, String origin) {
        try (RawUpgrade upgrade = RawUpgrade.open(site.server().port(), "/count", origin, null)) {
            return upgrade.status();
        }
    }

    private static int inits(TestSite site) {
        try (WsClient ws = site.connect("/inits")) {
            String reply = ws.call("[\"inits\",null,1]");   // ["_rpc",N,1]
            return Integer.parseInt(reply.substring(8, reply.lastIndexOf(',')));
        }
    }

    @Test
    void aServerOthersCanReachWithoutConfOriginIsWarnedAboutAtStart() {
        assertTrue(WorkServer.originAdvice(null, "0.0.0.0").startsWith("CONF \"origin\" is not set"));
        assertEquals(null, WorkServer.originAdvice(null, "127.0.0.1"), "loopback only: no one else can reach it");
        assertEquals(null, WorkServer.originAdvice("https://chat.example", "0.0.0.0"), "the origin is set");
    }

    @Test
    void pageOfTheSameOriginMayUpgrade() {
        int port = own.server().port();
        assertEquals(101, status(own, "http://127.0.0.1:" + port));
        assertEquals(101, status(own, "HTTP://127.0.0.1:" + port));
    }

    @Test
    void requestWithoutOriginIsNotFromABrowserAndMayUpgrade() {
        assertEquals(101, status(own, null));
        try (WsClient ws = own.connect("/count")) {   // the JDK client sends no Origin
            assertEquals("[\"_rpc\",\"pong\",1]", ws.call("[\"ping\",null,1]"));
        }
    }

    @Test
    void foreignOriginGets403NamingItAndNoControllerCodeRuns() {
        int before = inits(own);
        try (LogCapture log = new LogCapture();
                RawUpgrade refused = RawUpgrade.open(own.server().port(), "/count", "http://evil.example", null)) {
            assertEquals(403, refused.status());
            assertEquals("WebSocket refused: origin http://evil.example is not allowed to connect to this site\n", refused.body());
            log.await("origin http://evil.example is not allowed");
        }
        assertEquals(before, inits(own), "init() of count.ws ran for a refused upgrade");
        try (RawUpgrade accepted = RawUpgrade.open(own.server().port(), "/count", null, null)) {
            assertEquals(101, accepted.status());
            Await.until("count.ws's init() counted the accepted upgrade", () -> inits(own) == before + 1);
        }
    }

    @Test
    void floodOfRefusalsLogsAFewLinesAndCountsTheRest() throws InterruptedException {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 50; i++) assertEquals(403, status(configured, "http://flood.example"));
            long lines = log.lines().stream().filter(l -> l.contains("origin http://flood.example")).count();
            assertTrue(lines >= 1 && lines < 50, lines + " lines for 50 refusals");
            Thread.sleep(1_100);   // the next second
            assertEquals(403, status(configured, "http://flood.example"));
            log.await("more refusals not logged)");
        }
    }

    @Test
    void sameHostOnAnotherPortOrSchemeIsForeign() {
        int port = own.server().port();
        assertEquals(403, status(own, "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1)));
        assertEquals(403, status(own, "https://127.0.0.1:" + port));
        assertEquals(403, status(own, "null"));   // sandboxed iframes and file: pages
    }

    @Test
    void confOriginIsTheSiteAndReplacesTheRequestsOwnHost() {
        assertEquals(101, status(configured, "https://chat.example"));
        assertEquals(403, status(configured, "http://127.0.0.1:" + configured.server().port()));
    }

    @Test
    void extraConfOriginsMayUpgrade() {
        assertEquals(101, status(configured, "http://localhost:8080"));
        assertEquals(101, status(configured, "http://app.example"));
        assertEquals(403, status(configured, "http://localhost:8081"));
        assertEquals(403, status(configured, "https://chat.example.evil.example"));
    }

    @Test
    void schemeAndHostCompareCaseInsensitivelyWithDefaultPortsWrittenOut() {
        assertEquals(101, status(configured, "https://chat.example:443"));
        assertEquals(101, status(configured, "HTTPS://CHAT.EXAMPLE"));
        assertEquals(101, status(configured, "http://app.example:80"));
        assertEquals(403, status(configured, "https://chat.example:8443"));
        assertEquals(403, status(configured, "http://chat.example"));
    }
}
