package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.workjs.server.support.Await;
import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page whose route's init() says no (sites/browser/denied.ws) must not make the client
 * hammer the server. denied.ws counts attempts in a module it shares with attempts.ws, which
 * the test asks over its own connection.
 */
@Timeout(120)
class DeniedBrowserIT {
    static final int MAX_ATTEMPTS = 3;
    static final Duration WINDOW = Duration.ofSeconds(5);

    @TempDir
    Path temp;

    @Test
    void aDeniedPageSeesClose1008AndRetriesAtMostThreeTimesInFiveSeconds() throws Exception {
        Browser.requireInstalled();
        try (TestSite site = TestSite.start("browser", temp); Browser page = Browser.start()) {
            page.open(site.url() + "/denied");
            page.await("onclose with 1008", "events.includes('close 1008')");
            Await.until("the server counted the first attempt", () -> attempts(site) >= 1);

            // The one place where waiting a fixed time is the point: count what arrives in it.
            long end = System.nanoTime() + WINDOW.toNanos();
            int seen = attempts(site);
            while (System.nanoTime() < end) {
                seen = attempts(site);
                assertTrue(seen <= MAX_ATTEMPTS, seen + " attempts within " + WINDOW + " of the first");
                Thread.sleep(100);
            }
            assertTrue(seen >= 1, "denied.ws counted attempts: " + seen);
            assertEquals(0L, page.eval("events.filter(e => e.startsWith('close ') && e !== 'close 1008').length"),
                    "every close was the denial: " + page.eval("events"));
        }
    }

    @Test
    void afterThreeDenialsInARowTheClientStopsForGoodAndSaysSo() throws Exception {
        Browser.requireInstalled();
        try (TestSite site = TestSite.start("browser", temp); Browser page = Browser.start()) {
            page.open(site.url() + "/client");
            page.js("window.errors = []; window.states = [];"
                    + "window.w = new worksocket({url: location.origin.replace(/^http/, 'ws') + '/denied', minDelay: 20, maxDelay: 60,"
                    + " onerror: function (e) { errors.push(e.code + (e.final ? ' final' : '') + ' ' + e.message); },"
                    + " onstatechange: function (s) { states.push(s); }});");
            page.await("the last denial", "errors.some(e => e.includes(' final '))");
            assertEquals(java.util.List.of("DENIED denied by init()", "DENIED denied by init()", "DENIED final denied by init()"),
                    page.eval("errors"));
            assertEquals("closed", page.eval("w.state"));
            assertEquals("closed", page.eval("states[states.length - 1]"));
            assertEquals(MAX_ATTEMPTS, attempts(site));
            // Its retries would come within 60 ms; for half a second, none may come.
            long end = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < end) assertEquals(MAX_ATTEMPTS, attempts(site), "no attempt after giving up");
        }
    }

    /** How many times denied.ws's init() has run, read through the accepting route. */
    private static int attempts(TestSite site) {
        try (var ws = site.connect("/attempts")) {
            return JsonParser.parseString(ws.call("[\"count\",null,1]")).getAsJsonArray().get(1).getAsInt();
        }
    }
}
