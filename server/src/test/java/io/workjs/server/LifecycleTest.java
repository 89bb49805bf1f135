package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Await;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** init() on every connection, exit() on every close, and controllers that fail to load. */
@Timeout(60)
class LifecycleTest {
    @RegisterExtension
    static final RunningSite site = new RunningSite("basic");

    @Test
    void truthyInitResultAcceptsAndNamesTheGroup() {
        try (WsClient ws = site.connect("/chat/lobby")) {
            String reply = ws.call("[\"whoami\",null,1]");
            assertTrue(reply.contains("\"group\":\"lobby\""), reply);
            assertTrue(reply.contains("\"sess\":{\"data\":{\"user_id\":0}}"), reply);
        }
    }

    @Test
    void falsyInitResultClosesWith1008() {
        try (WsClient ws = site.connect("/deny")) {
            assertEquals(new WsClient.Close(1008, "denied by init()"), ws.awaitClose());
        }
        try (WsClient ws = site.connect("/chat/closed")) {
            assertEquals(new WsClient.Close(1008, "denied by init()"), ws.awaitClose());
        }
    }

    @Test
    void callsOnADeniedConnectionAreNeverRun() throws Exception {
        try (WsClient ws = site.connect("/deny")) {
            ws.trySend("[\"never\",null,1]");
            assertEquals(1008, ws.awaitClose().code());
            assertEquals(null, ws.poll(100));
        }
    }

    @Test
    void throwingInitClosesWith1011AndLogsFileAndLine() {
        try (LogCapture log = new LogCapture(); WsClient ws = site.connect("/throws")) {
            assertEquals(new WsClient.Close(1011, "init() failed"), ws.awaitClose());
            String line = log.await("init() failed");
            assertTrue(line.contains("init exploded") && line.contains("throws.ws:2"), line);
        }
    }

    @Test
    void controllerWithSyntaxErrorRefusesUpgradesWhileTheRestOfTheSiteRuns() {
        assertEquals(503, WsClient.refusedStatus(site.url(), "/broken"));
        String body = site.raw("GET /broken HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        assertTrue(body.startsWith("HTTP/1.1 503"), body);
        assertTrue(body.contains("broken.ws") && body.contains("SyntaxError"), body);
        try (WsClient ws = site.connect("/chat/still-fine")) {
            assertEquals("[\"_rpc\",1,1]", ws.call("[\"echo\",1,1]"));
        }
    }

    @Test
    void exitRunsOnceAfterTheMemberLeftTheGroup() {
        try (WsClient stays = site.connect("/chat/exit-room")) {
            WsClient leaves = site.connect("/chat/exit-room");
            String id = idOf(leaves);
            leaves.close();
            assertEquals("[\"left\",{\"id\":\"" + id + "\"}]", stays.next());
            String members = stays.call("[\"members\",null,2]");
            assertTrue(!members.contains(id), members);
        }
    }

    @Test
    void exitRunsWhenTheControllerClosesTheConnection() {
        try (WsClient stays = site.connect("/chat/close-room"); WsClient closer = site.connect("/chat/close-room")) {
            String id = idOf(closer);
            // No reply: after its close frame the server sends nothing more on that connection.
            closer.send("[\"closeMe\",null,1]");
            assertEquals(new WsClient.Close(4000, "closed by controller"), closer.awaitClose());
            assertEquals("[\"left\",{\"id\":\"" + id + "\"}]", stays.next());
        }
    }

    @Test
    void framesSentBeforeACloseArriveBeforeItInOrder() {
        try (WsClient ws = site.connect("/chat/burst-room")) {
            ws.send("[\"burstThenClose\",3000,1]");
            for (int i = 1; i <= 3000; i++) assertEquals("[\"burst\"," + i + "]", ws.next());
            assertEquals(new WsClient.Close(4000, "after the burst"), ws.awaitClose());
        }
    }

    @Test
    void everyConnectionRunsInitAndGetsItsOwnThis() {
        try (WsClient a = site.connect("/chat/own"); WsClient b = site.connect("/chat/own")) {
            a.send("[\"remember\",\"a's\"]");
            assertEquals("[\"_rpc\",null,1]", b.call("[\"recall\",null,1]"));
            assertEquals("[\"_rpc\",\"a's\",1]", a.call("[\"recall\",null,1]"));
            assertTrue(!idOf(a).equals(idOf(b)));
        }
    }

    @Test
    void controllerWithoutInitDeniesEveryConnection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("MAP"), "/x get noinit {\"ws\":\"t\"}\n");
        Files.writeString(dir.resolve("noinit.ws"), "function hello() { return 1; }\n");
        try (TestSite own = TestSite.serve(dir); WsClient ws = own.connect("/x")) {
            assertEquals(new WsClient.Close(1008, "controller has no init()"), ws.awaitClose());
        }
    }

    @Test
    void asyncInitHoldsCallsUntilItSettles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("MAP"), "/x get slow {\"ws\":\"t\"}\n/y get badkey {\"ws\":\"t\"}\n");
        Files.writeString(dir.resolve("slow.ws"), """
                function init() { return new Promise((resolve) => setTimeout(() => { this.ready = true; resolve('g'); }, 30)); }
                function ready() { return this.ready === true; }
                """);
        Files.writeString(dir.resolve("badkey.ws"), "function init() { return {}; }\n");
        try (TestSite own = TestSite.serve(dir); WsClient ws = own.connect("/x"); WsClient bad = own.connect("/y")) {
            assertEquals("[\"_rpc\",true,1]", ws.call("[\"ready\",null,1]"));
            assertEquals(new WsClient.Close(1011, "init() returned an invalid group key"), bad.awaitClose());
        }
    }

    @Test
    void serverStopClosesConnectionsWith1001AndRunsNoMoreJs(@TempDir Path dir) {
        TestSite own = TestSite.start("basic", dir);
        WsClient ws = own.connect("/chat/stop");
        assertEquals("[\"_rpc\",1,1]", ws.call("[\"echo\",1,1]"));
        own.close();
        assertEquals(1001, ws.awaitClose().code());
        Await.until("no connections", () -> own.server().connections() == 0);
    }

    static String idOf(WsClient ws) {
        String reply = ws.call("[\"whoami\",null,99]");
        int start = reply.indexOf("\"id\":\"") + 6;
        return reply.substring(start, reply.indexOf('"', start));
    }
}
