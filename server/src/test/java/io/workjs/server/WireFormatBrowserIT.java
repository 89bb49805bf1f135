package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The original WorkJS frames as a browser's own WebSocket sees them, without worksocket: the
 * page sites/browser/wire.html is a client written like the original one, which reads only
 * elements 0 to 2 of a frame. Each frame the browser received is kept as the exact string.
 */
@Timeout(120)
class WireFormatBrowserIT {
    @TempDir
    static Path temp;
    static TestSite site;
    static Browser page;
    static final String END = "[\"_rpc\",0,\"end\"]";

    @BeforeAll
    static void open() {
        Browser.requireInstalled();
        site = TestSite.start("browser", temp);
        page = Browser.start();
        page.open(site.url() + "/wire");
        page.await("the plain WebSocket open", "window.opened === true");
    }

    @AfterAll
    static void close() {
        if (page != null) page.close();
        if (site != null) site.close();
    }

    /**
     * Clears what the page has seen, restarts its seq at 1, runs {@code script}, and returns
     * every frame that came back for it. A last call, answered after everything sent before it
     * (one connection's frames are handled in order), marks the end.
     */
    @SuppressWarnings("unchecked")
    static List<String> framesFor(String script) {
        page.js("got.length = 0; results.length = 0; seq = 0; " + script
                + "; sock.send(JSON.stringify(['add', {a: 0, b: 0}, 'end']));");
        page.await("the reply to the end marker", "got.includes(arguments[0])", END);
        List<String> got = (List<String>) page.eval("got.slice()");
        return got.subList(0, got.indexOf(END));
    }

    @Test
    void theRouteWithoutTheWsFlagGetsNoClientInjected() {
        assertEquals("undefined", page.eval("typeof worksocket"));
    }

    @Test
    void aCallWithASeqIsAnsweredWithExactlyRpcResultSeq() {
        assertEquals(List.of("[\"_rpc\",3,1]"), framesFor("rpc('add', {a: 1, b: 2}, r => results.push('add ' + r))"));
        assertEquals(List.of("add 3"), page.eval("results"));
    }

    @Test
    void anEmittedEventArrivesAsNameAndParam() {
        List<String> frames = framesFor("sock.send(JSON.stringify(['shout', {to: 'all'}]))");
        assertEquals(List.of("[\"shout\",{\"to\":\"all\"}]"), frames);
        assertEquals(List.of("shout {\"to\":\"all\"}"), page.eval("results"));
    }

    @Test
    void aFailedCallCarriesAFourthElementThatTheOldClientIgnores() {
        List<String> frames = framesFor("rpc('fail', null, r => results.push('fail ' + JSON.stringify(r)))");
        assertEquals(List.of("[\"_rpc\",null,1,{\"code\":\"CALL_FAILED\",\"message\":\"nope\"}]"), frames);
        // Reading elements 0 to 2 only, the old client hands its callback null, as it always did.
        assertEquals(List.of("fail null"), page.eval("results"));
    }
}
