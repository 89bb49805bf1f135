package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Await;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.TcpProxy;
import io.workjs.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resumable connections through a real TCP proxy: after a cut or a freeze the client comes back
 * as the same connection, with every message it missed exactly once, and what could not be
 * resumed is said, never silently lost.
 */
@Timeout(120)
class ResumeTest {
    /** Pings every second, one second to answer: a dead network is noticed within about two. */
    @RegisterExtension
    static final RunningSite site = new RunningSite("resume", Limits.DEFAULTS.with(Limits.PING_INTERVAL, 1).with(Limits.PING_TIMEOUT, 1));

    /** A window of one second and a replay of 4 KiB. */
    @RegisterExtension
    static final RunningSite brief = new RunningSite("resume", Limits.DEFAULTS.with(Limits.RESUME_WINDOW, 1).with(Limits.RESUME_BUFFER, 4096));

    /** Two places in all, and a one-second window. */
    @RegisterExtension
    static final RunningSite tight = new RunningSite("resume", Limits.DEFAULTS.with(Limits.RESUME_WINDOW, 1).with(Limits.MAX_CONNECTIONS, 2));

    TcpProxy proxy;
    TcpProxy briefProxy;

    @BeforeEach
    void proxies() {
        proxy = TcpProxy.to(site.server().port());
        briefProxy = TcpProxy.to(brief.server().port());
    }

    @AfterEach
    void closeProxies() {
        proxy.close();
        briefProxy.close();
    }

    /** The controller's counts of init(), exit(), away() and back(), asked over a plain connection. */
    private static JsonObject lifecycle(RunningSite on) {
        try (WsClient observer = on.connect("/room/observer")) {
            String reply = observer.call("[\"lifecycle\",null,1]");
            return JsonParser.parseString(reply).getAsJsonArray().get(1).getAsJsonObject();
        }
    }

    private static int count(RunningSite on, String what) {
        return lifecycle(on).get(what).getAsInt();
    }

    private static String get(ResumeClient client, String name, String param) throws Exception {
        return client.call(name, param).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCutConnectionComesBackAsTheSameThisWithoutInitOrExit() throws Exception {
        try (ResumeClient client = ResumeClient.connect(proxy.url(), "/room/a")) {
            assertFalse(client.welcomes.getFirst().resumed());
            get(client, "remember", "\"kept\"");
            String before = get(client, "recall", "null");
            JsonObject was = lifecycle(site);
            proxy.cutAll();
            ResumeClient.Welcome welcome = client.awaitWelcome();
            assertTrue(welcome.resumed(), "resumed: " + welcome);
            assertEquals(result(before), result(get(client, "recall", "null")), "the same id and what it kept");
            Await.until("back() has run", () -> count(site, "backs") == was.get("backs").getAsInt() + 1);
            JsonObject now = lifecycle(site);
            assertEquals(was.get("inits"), now.get("inits"), "no init() for a resumed connection");
            assertEquals(was.get("exits"), now.get("exits"), "no exit() for a resumed connection");
            assertEquals(was.get("aways").getAsInt() + 1, now.get("aways").getAsInt());
        }
    }

    @Test
    void eventsEmittedWhileAwayArriveAfterTheResumeOnceAndInOrder() throws Exception {
        try (ResumeClient away = ResumeClient.connect(proxy.url(), "/room/b"); WsClient talker = site.connect("/room/b")) {
            get(away, "recall", "null");
            int aways = count(site, "aways");
            away.reconnect(false);
            proxy.cutAll();
            Await.until("the server noticed the drop", () -> count(site, "aways") == aways + 1);
            for (int i = 1; i <= 20; i++) talker.send("[\"say\"," + i + "]");
            for (int i = 1; i <= 20; i++) assertEquals("[\"said\"," + i + "]", talker.next());
            away.reconnect(true);
            assertTrue(away.awaitWelcome().resumed());
            for (int i = 1; i <= 20; i++) assertEquals("[\"said\"," + i + "]", away.next());
            assertEquals("[\"said\",21]", roundTrip(away, talker), "nothing twice, nothing between");
        }
    }

    /** Says one more thing through {@code talker} and returns what {@code listener} gets next. */
    private static String roundTrip(ResumeClient listener, WsClient talker) {
        talker.send("[\"say\",21]");
        return listener.next();
    }

    @Test
    void aNetworkThatGoesSilentIsNoticedByTheClientWhichResumesWithATakeover() throws Exception {
        try (ResumeClient client = ResumeClient.connect(proxy.url(), "/room/c")) {
            get(client, "remember", "\"frozen\"");
            proxy.links().forEach(link -> link.freeze(true, true));
            // Nothing arrives for heartbeatMs (2 s): the client gives the socket up and comes back
            // on a new one, maybe before the server has noticed the old one die.
            ResumeClient.Welcome welcome = client.awaitWelcome();
            assertTrue(welcome.resumed(), "resumed: " + welcome);
            assertTrue(get(client, "recall", "null").contains("\"memo\":\"frozen\""));
            assertEquals(2, client.sockets());
        }
    }

    @Test
    void aSocketThatFailsTheServersHeartbeatIsDetachedNotEnded() throws Exception {
        try (ResumeClient client = ResumeClient.connect(proxy.url(), "/room/l")) {
            get(client, "remember", "\"still here\"");
            JsonObject was = lifecycle(site);
            client.reconnect(false);
            proxy.links().forEach(link -> link.freeze(true, true));
            Await.until("away() ran when the pings went unanswered", () -> count(site, "aways") == was.get("aways").getAsInt() + 1);
            assertEquals(was.get("exits"), lifecycle(site).get("exits"), "not ended: exit() has not run");
            client.reconnect(true);
            assertTrue(client.awaitWelcome().resumed());
            assertTrue(get(client, "recall", "null").contains("\"memo\":\"still here\""));
        }
    }

    @Test
    void aCallLostOnItsWayUpIsSentAgainAndRunsOnce() throws Exception {
        try (ResumeClient client = ResumeClient.connect(proxy.url(), "/room/d")) {
            String id = idOf(client);
            proxy.links().forEach(link -> link.freeze(true, false));
            var reply = client.call("incr", "null");
            proxy.cutAll();   // the call dies in the network
            assertTrue(client.awaitWelcome().resumed());
            assertTrue(reply.get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",1,"), "sent again, run once");
            assertEquals(1, counted(id));
        }
    }

    @Test
    void aReplyLostOnItsWayDownIsReplayedNotRunAgain() throws Exception {
        try (ResumeClient client = ResumeClient.connect(proxy.url(), "/room/e")) {
            String id = idOf(client);
            proxy.links().forEach(link -> link.freeze(false, true));
            var reply = client.call("incr", "null");
            Await.until("the call ran", () -> counted(id) == 1);
            proxy.cutAll();   // the reply dies in the network
            assertTrue(client.awaitWelcome().resumed());
            assertTrue(reply.get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",1,"), "the reply, replayed");
            assertEquals(1, counted(id), "not run again");
        }
    }

    /** The result of a reply {@code ["_rpc", result, seq]}, as JSON. */
    private static String result(String reply) {
        return JsonParser.parseString(reply).getAsJsonArray().get(1).toString();
    }

    private static String idOf(ResumeClient client) throws Exception {
        String recall = get(client, "recall", "null");
        return JsonParser.parseString(recall).getAsJsonArray().get(1).getAsJsonObject().get("id").getAsString();
    }

    private static int counted(String id) {
        try (WsClient observer = site.connect("/room/observer")) {
            String reply = observer.call("[\"count\",\"" + id + "\",1]");
            return JsonParser.parseString(reply).getAsJsonArray().get(1).getAsInt();
        }
    }

    @Test
    void aConnectionAwayLongerThanTheWindowEndsWithExitAndTheClientStartsAfresh() throws Exception {
        try (ResumeClient client = ResumeClient.connect(briefProxy.url(), "/room/f")) {
            get(client, "remember", "\"lost\"");
            String oldId = idOf(client);
            int exits = count(brief, "exits");
            int inits = count(brief, "inits");
            client.reconnect(false);
            briefProxy.cutAll();
            Await.until("exit() ran when the 1 s window ended", () -> count(brief, "exits") == exits + 1);
            client.reconnect(true);
            ResumeClient.Welcome welcome = client.awaitWelcome();
            assertFalse(welcome.resumed());
            assertEquals("WINDOW_OVER", welcome.reason());
            assertNotEquals(oldId, idOf(client), "a new connection");
            assertFalse(get(client, "recall", "null").contains("\"memo\""), "this starts empty");
            assertEquals(inits + 1, count(brief, "inits"), "init() ran for it");
        }
    }

    @Test
    void aDetachedConnectionWhoseReplayWouldOverflowEndsAndItsResumeIsRefusedWithTheReason() throws Exception {
        try (ResumeClient client = ResumeClient.connect(briefProxy.url(), "/room/g"); WsClient talker = brief.connect("/room/g")) {
            get(client, "recall", "null");
            int aways = count(brief, "aways");
            int exits = count(brief, "exits");
            client.reconnect(false);
            briefProxy.cutAll();
            Await.until("detached", () -> count(brief, "aways") == aways + 1);
            talker.send("[\"burst\",10,1]");   // 10 KB to the group, the detached member included
            String frame = talker.next();
            while (!frame.startsWith("[\"_rpc\"")) frame = talker.next();
            assertEquals("[\"_rpc\",10,1]", frame);
            Await.until("exit() ran when 10 KB would not fit in 4 KiB", () -> count(brief, "exits") == exits + 1);
            client.reconnect(true);
            ResumeClient.Welcome welcome = client.awaitWelcome();
            assertFalse(welcome.resumed());
            assertEquals("BUFFER_OVERFLOW", welcome.reason());
        }
    }

    @Test
    void aForgedTokenAndAUsedTokenAreRefusedWithTheirReasons() throws Exception {
        try (ResumeClient client = ResumeClient.connect(proxy.url(), "/room/h")) {
            String first = client.token();
            proxy.cutAll();
            assertTrue(client.awaitWelcome().resumed());
            get(client, "recall", "null");   // the client uses the new token's connection: the old token is spent
            try (ResumeClient reuse = ResumeClient.connectWithToken(site.url(), "/room/h", first)) {
                assertEquals("TOKEN_USED", reuse.welcomes.getFirst().reason());
            }
            String forged = first.substring(0, 9) + "A".repeat(22);
            try (ResumeClient forger = ResumeClient.connectWithToken(site.url(), "/room/h", forged)) {
                assertEquals("UNKNOWN_TOKEN", forger.welcomes.getFirst().reason());
                assertFalse(forger.welcomes.getFirst().resumed());
            }
            try (ResumeClient garbage = ResumeClient.connectWithToken(site.url(), "/room/h", "\"; DROP")) {
                assertEquals("UNKNOWN_TOKEN", garbage.welcomes.getFirst().reason());
            }
            try (ResumeClient restarted = ResumeClient.connectWithToken(site.url(), "/room/h", "AAAAAAAA." + "B".repeat(22))) {
                assertEquals("SERVER_RESTARTED", restarted.welcomes.getFirst().reason());
            }
        }
    }

    @Test
    void aResumableSocketWhoseFirstFrameIsNoHelloIsClosedWithAProtocolError() throws Exception {
        var closed = new java.util.concurrent.CompletableFuture<String>();
        HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(ResumeClient.PROTOCOL)
                .buildAsync(URI.create(site.url().replaceFirst("^http", "ws") + "/room/p"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
                        closed.complete(code + " " + reason);
                        return null;
                    }
                }).join().sendText("[\"recall\",null,1]", true);
        assertEquals("1002 the first frame of a resumable connection must be _hello", closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTokenOfAnotherSessionIsRefused() throws Exception {
        String ann = cookie();
        String bob = cookie();
        try (ResumeClient annsClient = ResumeClient.connect(site.url(), "/session", "Cookie", ann)) {
            try (ResumeClient thief = ResumeClient.connectWithToken(site.url(), "/session", annsClient.token(), "Cookie", bob)) {
                assertFalse(thief.welcomes.getFirst().resumed());
                assertEquals("SESSION_MISMATCH", thief.welcomes.getFirst().reason());
            }
            try (ResumeClient anonymous = ResumeClient.connectWithToken(site.url(), "/session", annsClient.token())) {
                assertEquals("SESSION_MISMATCH", anonymous.welcomes.getFirst().reason());
            }
        }
    }

    /** A fresh session cookie, from the page of the session route. */
    private static String cookie() throws Exception {
        HttpResponse<Void> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(site.url() + "/session")).build(),
                HttpResponse.BodyHandlers.discarding());
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void theTokenIsNeitherInThisContextNorInTheLog() throws Exception {
        try (LogCapture log = new LogCapture(); ResumeClient client = ResumeClient.connect(proxy.url(), "/room/i?x=1")) {
            String token = client.token();
            assertEquals("[\"_rpc\",{\"x\":\"1\",\"room\":\"i\"},\"c1\"]", get(client, "context", "null"));
            proxy.cutAll();
            assertTrue(client.awaitWelcome().resumed());
            assertFalse(log.lines().stream().anyMatch(line -> line.contains(token.substring(9))), "a token in the log");
        }
    }

    @Test
    void aClientThatClosesForGoodEndsAtOnceAndSoDoesOneThatNeverAskedForResumption() throws Exception {
        int exits = count(site, "exits");
        ResumeClient resumable = ResumeClient.connect(proxy.url(), "/room/j");
        get(resumable, "recall", "null");
        resumable.close();
        Await.until("exit() ran at once for ws.close()", () -> count(site, "exits") == exits + 1);
        try (WsClient plain = WsClient.connect(proxy.url(), "/room/j")) {
            assertEquals("[\"_rpc\",true,1]", plain.call("[\"remember\",1,1]"), "no _welcome for the original client");
            proxy.cutAll();
            Await.until("exit() ran at once for a dropped plain connection", () -> count(site, "exits") == exits + 2);
        }
    }

    @Test
    void aDetachedConnectionHoldsItsPlaceWithinMaxConnectionsUntilItEnds() throws Exception {
        try (TcpProxy tightProxy = TcpProxy.to(tight.server().port()); ResumeClient client = ResumeClient.connect(tightProxy.url(), "/room/k")) {
            get(client, "recall", "null");
            client.reconnect(false);
            tightProxy.cutAll();
            Await.until("detached", () -> tight.server().connections() == 0);
            // The JDK's WebSocket client does not always report a cut socket at once (twice in
            // full runs it had not within 10 s); as the shipped client's liveness check would,
            // this one gives the socket up now, so that the resume below is asked for.
            client.abandon();
            try (WsClient second = tight.connect("/room/k")) {
                assertEquals(503, WsClient.refusedStatus(tight.url(), "/room/k"), "two places: the detached one's and this one's");
                // The resume is let in though both places are taken: it gives its own place back as it resumes.
                client.reconnect(true);
                assertTrue(client.awaitWelcome().resumed());
                assertEquals(503, WsClient.refusedStatus(tight.url(), "/room/k"), "still two places taken");
                client.reconnect(false);
                tightProxy.cutAll();
                Await.until("the window ended and gave its place back", () -> tight.server().resumableConnections() == 0);
                try (WsClient third = tight.connect("/room/k")) {
                    assertTrue(third.call("[\"recall\",null,1]").startsWith("[\"_rpc\""));
                }
            }
        }
    }
}
