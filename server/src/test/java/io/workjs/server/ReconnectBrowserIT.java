package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.support.Await;
import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The injected client across a server restart, in a real browser: calls on the wire fail,
 * calls made while offline wait, and the page comes back by itself. The page
 * (sites/browser/reconnect.html) logs what happens to it in {@code window.events}.
 */
@Timeout(120)
class ReconnectBrowserIT {
    static final String EVENTS = "window.events.join(',')";

    @TempDir
    Path temp;
    Path dir;
    WorkServer server;

    @BeforeEach
    void start() {
        Browser.requireInstalled();
        dir = TestSite.copy("browser", temp);
        server = WorkServer.start(ServerConfig.defaults(dir).withPort(0));
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
    }

    @Test
    void callsOnTheWireFailWithDisconnectedAndOfflineCallsReachTheNewServerOnceAfterTheRejoin() {
        int port = server.port();
        try (Browser page = Browser.start()) {
            page.open(server.url() + "/reconnect");
            page.await("the first open", EVENTS + " === 'open 1'");
            page.js("call('slow', 'slow', 'late')");
            awaitReceived("the slow call reached the server", List.of("open 1", "slow late"));

            server.stop();
            server = null;
            page.await("onclose and the slow call's callback",
                    "events.includes('close 1001') && events.some(e => e.startsWith('slow '))");
            assertEquals(List.of("slow DISCONNECTED"), page.eval("events.filter(e => e.startsWith('slow '))"),
                    "the call on the wire fails exactly once, with DISCONNECTED");

            // Offline: both are queued, and the client keeps trying to reconnect.
            page.js("ws.sendJSON(['note', 'offline sendJSON']); call('note', 'note', 'offline rpc');");
            page.await("a failed reconnect attempt while the server is down",
                    "events.filter(e => e.startsWith('close ')).length >= 2");
            assertEquals(1L, page.eval("opens"), "no open while the server is down");

            server = WorkServer.start(ServerConfig.defaults(dir).withPort(port));
            page.await("the page back online and its offline call answered", "events.some(e => e.startsWith('note '))");
            // The new server saw the onopen frame first, then each queued frame exactly once.
            assertEquals(List.of("open 2", "offline sendJSON", "offline rpc"), received());
            assertEquals(2L, page.eval("opens"), "onopen ran once more, for the reconnection");
            List<?> events = (List<?>) page.eval("events");
            assertEquals(List.of("open 2", "note 3"), events.subList(events.indexOf("open 2"), events.size()),
                    "reopened once, then the queued call was answered: " + events);
        }
    }

    @Test
    void clientsOfAStoppedServerWaitJitteredTimesSoTheyDoNotComeBackInOneWave() {
        int clients = 40;
        int port = server.port();
        try (Browser page = Browser.start()) {
            page.open(server.url() + "/client");
            // In debug mode the client says how long it waits before each reconnect.
            page.js("window.waits = [];"
                    + "console.warn = function () { const m = /closed \\((\\d+)\\), reconnecting in (\\d+) ms/.exec(Array.from(arguments).join(' '));"
                    + " if (m) waits.push([+m[1], +m[2]]); };"
                    + "window.all = []; for (let i = 0; i < arguments[0]; i++) all.push(new worksocket({debug: true}));", clients);
            Await.until("all " + clients + " connected", () -> server.connections() == clients);

            server.stop();
            server = null;
            page.await("every client's first wait", "waits.length >= arguments[0]", clients);
            List<?> waits = (List<?>) page.eval("waits.slice(0, arguments[0])", clients);
            List<Long> first = waits.stream().map(w -> (Long) ((List<?>) w).get(1)).sorted().toList();
            for (Object w : waits) assertEquals(1001L, ((List<?>) w).get(0), "each saw the server go away: " + waits);
            // Full jitter: the first retry waits up to minDelay (500).
            assertTrue(first.get(0) >= 0 && first.get(clients - 1) <= 500, "first waits within 0-500 ms: " + first);
            assertTrue(first.get(clients - 1) - first.get(0) >= 250, "first waits spread out: " + first);
            assertTrue(first.stream().distinct().count() >= clients / 2, "first waits mostly different: " + first);

            server = WorkServer.start(ServerConfig.defaults(dir).withPort(port));
            Await.until("all " + clients + " back by themselves", () -> server.connections() == clients);
        }
    }

    /** What the current server's reconnect.ws has received, read with a connection of our own. */
    private List<String> received() {
        try (WsClient ws = WsClient.connect(server.url(), "/reconnect")) {
            JsonArray reply = JsonParser.parseString(ws.call("[\"received\",null,1]")).getAsJsonArray();
            List<String> log = new ArrayList<>();
            reply.get(1).getAsJsonArray().forEach(e -> log.add(e.getAsString()));
            return log;
        }
    }

    private void awaitReceived(String what, List<String> expected) {
        Await.until(what + ": " + expected, () -> expected.equals(received()));
    }
}
