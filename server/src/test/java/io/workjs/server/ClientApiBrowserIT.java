package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worksocket API in a real browser against a real server (sites/browser/client.ws): each
 * test creates its own client in the page with executeScript and reads what happened from
 * {@code window.out}.
 */
@Timeout(120)
class ClientApiBrowserIT {
    @TempDir
    static Path temp;
    static TestSite site;
    static Browser page;

    @BeforeAll
    static void start() {
        Browser.requireInstalled();
        site = TestSite.start("browser", temp);
        page = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (page != null) page.close();
        if (site != null) site.close();
    }

    /** A fresh page with one open client as {@code window.ws}. */
    private void openClient(String options) {
        page.open(site.url() + "/client");
        page.js("window.ws = new worksocket(Object.assign({onopen: function () { out.opened = (out.opened || 0) + 1; }}, "
                + options + "));");
        page.await("the client open", "out.opened === 1 && ws.state === 'open'");
    }

    @Test
    void rpcAnswersACallbackAndAPromise() {
        openClient("{}");
        page.js("ws.rpc('add', {a: 1, b: 2}, function (r, err) { out.cb = [r, err === undefined]; });"
                + "ws.rpc('add', {a: 2, b: 3}).then(function (r) { out.promise = r; });");
        page.await("both answers", "out.cb && out.promise !== undefined");
        assertEquals(List.of(3L, true), page.eval("out.cb"));
        assertEquals(5L, page.eval("out.promise"));
    }

    @Test
    void serverErrorRejectsThePromiseWithItsCodeAndReachesTheCallbackSecond() {
        openClient("{}");
        page.js("ws.rpc('full').catch(function (e) { out.rejected = [e instanceof Error, e.code, e.message]; });"
                + "ws.rpc('full', null, function (r, e) { out.cb = [r, e.code]; });"
                + "ws.rpc('nope').catch(function (e) { out.unknown = e.code; });");
        page.await("the three failures", "out.rejected && out.cb && out.unknown");
        assertEquals(List.of(true, "ROOM_FULL", "room is full"), page.eval("out.rejected"));
        assertEquals(java.util.Arrays.asList(null, "ROOM_FULL"), page.eval("out.cb"));
        assertEquals("NO_SUCH_FUNCTION", page.eval("out.unknown"));
    }

    @Test
    void onDeliversEventsAndAThrowingHandlerBreaksNothing() {
        openClient("{}");
        page.js("ws.on('shout', function (p) { out.heard = p; throw new Error('a bug in the page'); });"
                + "ws.rpc('shout', 'hey').then(function () { return ws.rpc('add', {a: 1, b: 1}); })"
                + ".then(function (r) { out.after = r; });");
        page.await("the event and a call after it", "out.heard && out.after");
        assertEquals("hey", page.eval("out.heard"));
        assertEquals(2L, page.eval("out.after"));
        assertEquals("open", page.eval("ws.state"), "the connection survived the throwing handler");
        assertTrue(page.console().stream().noneMatch(l -> l.contains("worksocket")), "no console output without debug: " + page.console());
    }

    @Test
    void sendJsonSendsTheValueAsOneFrame() {
        openClient("{}");
        page.js("out.sent = ws.sendJSON(['note', 'raw frame']);"
                + "ws.rpc('noted').then(function (n) { out.noted = n; });");
        page.await("the notes", "out.noted");
        assertEquals(true, page.eval("out.sent"));
        assertTrue(((List<?>) page.eval("out.noted")).contains("raw frame"));
    }

    @Test
    void aCallThatGetsNoAnswerFailsWithTimeoutAndTheConnectionGoesOn() {
        openClient("{}");
        page.js("ws.rpc('never', null, {timeout: 200}).catch(function (e) { out.timeout = e.code; });"
                + "ws.rpc('never', null, function (r, e) { out.cbTimeout = e.code; }, {timeout: 200});");
        page.await("both timeouts", "out.timeout && out.cbTimeout");
        assertEquals("TIMEOUT", page.eval("out.timeout"));
        assertEquals("TIMEOUT", page.eval("out.cbTimeout"));
        page.js("ws.rpc('add', {a: 4, b: 4}).then(function (r) { out.after = r; });");
        assertEquals(8L, page.await("a call after the timeouts", "out.after"));
    }

    @Test
    void stateIsObservableAndCloseStopsForGood() {
        openClient("{onstatechange: function (s) { (out.states = out.states || []).push(s); }, minDelay: 20, maxDelay: 40}");
        page.js("ws.close(); ws.rpc('add', {a: 1, b: 1}).catch(function (e) { out.afterClose = e.code; });"
                + "out.sendAfterClose = ws.sendJSON(['note', 'x']);");
        page.await("the call after close rejected", "out.afterClose");
        assertEquals("CLOSED", page.eval("out.afterClose"));
        assertEquals(false, page.eval("out.sendAfterClose"));
        assertEquals(List.of("open", "closed"), page.eval("out.states"));
        // Reconnects would come within 40 ms; none may come at all.
        long end = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < end) assertEquals(0, site.server().connections(), "no reconnect after close()");
        assertEquals(1L, page.eval("out.opened"));
    }

    @Test
    void theOfflineQueueIsBoundedAndRefusesWhatDoesNotFit() {
        page.open(site.url() + "/client");
        // Nothing listens on port 1: the client stays connecting and queues.
        page.js("window.w = new worksocket({url: 'ws://127.0.0.1:1/', queueSize: 2, minDelay: 60000, maxDelay: 60000,"
                + " onerror: function (e) { out.error = e.code; }});"
                + "w.rpc('a').catch(function (e) { out.first = e.code; });"
                + "out.second = w.sendJSON(['b']);"
                + "out.third = w.sendJSON(['c']);"
                + "w.rpc('d').catch(function (e) { out.fourth = e.code; });");
        page.await("the refused call", "out.fourth");
        assertEquals("QUEUE_FULL", page.eval("out.fourth"));
        assertEquals(true, page.eval("out.second"));
        assertEquals(false, page.eval("out.third"));
        assertEquals("CONNECTION_ERROR", page.await("the failed connection reported", "out.error"));
        page.js("w.close();");
        assertEquals("CLOSED", page.await("the queued call failed by close()", "out.first"));
    }

    @Test
    void theClientIsAlsoAnEsModule() {
        page.open(site.url() + "/module");
        assertEquals(42L, page.await("an answer through the module's client", "window.answer"));
        assertEquals(true, page.eval("window.same"));
    }
}
