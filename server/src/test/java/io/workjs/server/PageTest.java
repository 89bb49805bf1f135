package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pages of MAP routes over real HTTP: content type, the client tag, methods, misses and the client script. */
@Timeout(60)
class PageTest {
    static final String TAG = "<script src=\"/_workjs/ws.js\"></script>";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final RunningSite site = new RunningSite("http");

    @Test
    void pageIsServedAsUtf8Html() {
        HttpResponse<String> page = site.get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(null));
        assertTrue(page.body().contains("index page"), page.body());
    }

    @Test
    void wsPageGetsTheClientScriptRightAfterItsHeadTag() {
        String body = site.get("/chat/lobby").body();
        assertTrue(body.contains("<head>" + TAG + "\n<meta charset=\"utf-8\">"), body);
        assertEquals(1, count(body, TAG), body);
    }

    @Test
    void wsPageGetsTheClientScriptBeforeItsOwnScripts() {
        String body = site.get("/chat/lobby").body();
        int client = body.indexOf(TAG);
        int own = body.indexOf("<script src=\"/static/app.js\">");
        assertTrue(client >= 0 && own > client, body);
    }

    @Test
    void upperCaseHeadTagWithAttributesGetsTheClientScriptAfterIt() {
        String body = site.get("/upper").body();
        assertTrue(body.contains("<HEAD data-x=\"1\">" + TAG + "<TITLE>upper</TITLE>"), body);
        assertTrue(body.indexOf(TAG) < body.indexOf("<SCRIPT src=\"/static/app.js\">"), body);
    }

    @Test
    void pageWithoutTheWsFlagHasNoClientScript() {
        HttpResponse<String> page = site.get("/plain");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("plain page"), page.body());
        assertFalse(page.body().contains("/_workjs/ws.js"), page.body());
    }

    @Test
    void pageIsServedUnchangedApartFromTheTag() {
        String body = site.get("/upper").body();
        assertEquals("""
                <!DOCTYPE html>
                <HTML>
                <HEAD data-x="1">%s<TITLE>upper</TITLE><SCRIPT src="/static/app.js"></SCRIPT></HEAD>
                <BODY>upper page</BODY>
                </HTML>
                """.formatted(TAG), body);
    }

    @Test
    void unknownPathIsNotFound() {
        HttpResponse<String> response = site.get("/no/such/page");
        assertEquals(404, response.statusCode());
        assertFalse(response.body().contains("<"), response.body());
    }

    @Test
    void routeWhosePageFileIsMissingIsNotFound() {
        assertEquals(404, site.get("/missing").statusCode());
    }

    @Test
    void postOnAPageRouteOfAnyMethodIsNotAllowedAndSaysWhatIs() {
        HttpResponse<String> response = send("POST", "/anymethod");
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void postOnAGetPageRouteIsNotAllowedRatherThanNotFound() {
        HttpResponse<String> response = send("POST", "/plain");
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void postOnAnUnknownPathIsStillNotFound() {
        assertEquals(404, send("POST", "/no/such/page").statusCode());
    }

    @Test
    void headOfAPageHasItsHeadersButNoBody() {
        HttpResponse<String> response = send("HEAD", "/plain");
        assertEquals(200, response.statusCode());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("", response.body());
    }

    @Test
    void clientScriptIsJavaScriptWithAnETag() {
        HttpResponse<String> script = site.get("/_workjs/ws.js");
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no-cache", script.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(script.body().contains("worksocket"), "the client defines worksocket");
        assertNotNull(script.headers().firstValue("ETag").orElse(null));
    }

    @Test
    void clientScriptAnswersAMatchingIfNoneMatchWith304() {
        String etag = site.get("/_workjs/ws.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = site.get("/_workjs/ws.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(etag, again.headers().firstValue("ETag").orElse(null));
    }

    @Test
    void clientScriptAnswersAStaleIfNoneMatchWithTheScript() {
        HttpResponse<String> again = site.get("/_workjs/ws.js", "If-None-Match", "\"stale\"");
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("worksocket"));
    }

    @Test
    void clientModuleIsJavaScriptWithAnETagAndReExportsTheScript() {
        HttpResponse<String> module = site.get("/_workjs/ws.mjs");
        assertEquals(200, module.statusCode());
        assertEquals("text/javascript; charset=utf-8", module.headers().firstValue("Content-Type").orElse(null));
        assertEquals("no-cache", module.headers().firstValue("Cache-Control").orElse(null));
        assertTrue(module.body().contains("import './ws.js';"), module.body());
        assertTrue(module.body().contains("export default worksocket;"), module.body());
        String etag = module.headers().firstValue("ETag").orElseThrow();
        assertFalse(etag.equals(site.get("/_workjs/ws.js").headers().firstValue("ETag").orElse(null)), "each file has its own ETag");
    }

    @Test
    void clientModuleAnswersAMatchingIfNoneMatchWith304() {
        String etag = site.get("/_workjs/ws.mjs").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = site.get("/_workjs/ws.mjs", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
    }

    @Test
    void onlyTheClientFilesAreServedUnderWorkjs() {
        assertEquals(404, site.get("/_workjs/ws.d.ts").statusCode());
        assertEquals(404, site.get("/_workjs/").statusCode());
    }

    @Test
    void pagesStillGetTheClassicScriptNotTheModule() {
        String body = site.get("/chat/lobby").body();
        assertTrue(body.contains(TAG), body);
        assertFalse(body.contains("ws.mjs"), body);
    }

    @Test
    void webSocketUpgradeOnARouteWithoutTheWsFlagIsABadRequest() {
        assertEquals(400, WsClient.refusedStatus(site.url(), "/plain"));
    }

    @Test
    void webSocketUpgradeOnAnUnknownPathIsNotFound() {
        assertEquals(404, WsClient.refusedStatus(site.url(), "/no/such/page"));
    }

    @Test
    void wsRouteOfAMountedMapAcceptsWebSocketsAndServesItsPage() {
        HttpResponse<String> page = site.get("/admin");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().startsWith("<html>" + TAG + "<body>admin panel"), page.body());
        try (WsClient ws = site.connect("/admin?x=1")) {
            assertEquals("[\"_rpc\",{\"x\":\"1\"},1]", ws.call("[\"where\",null,1]"));
        }
    }

    @Test
    void routeOfAMountedMapThatTurnsWsOffRefusesWebSockets() {
        HttpResponse<String> page = site.get("/admin/settings");
        assertEquals(200, page.statusCode());
        assertFalse(page.body().contains(TAG), page.body());
        assertEquals(400, WsClient.refusedStatus(site.url(), "/admin/settings"));
    }

    @Test
    void anUpgradeWithAnotherMethodThanGetIsRefusedWith405() {
        String response = site.raw(upgrade("POST", "/anyws"));
        assertTrue(response.startsWith("HTTP/1.1 405 "), response);
        assertTrue(response.contains("\r\nAllow: GET\r\n") && response.endsWith("a WebSocket upgrade is a GET request\n"), response);
    }

    @Test
    void anUpgradeWithTheOneMethodAWsFlagNamesIsStillNotAWebSocketRouteUnlessThatMethodIsGet() {
        // {"ws": {"post": "t"}}: upgrades are GET requests, so this route takes none, by any method.
        String response = site.raw(upgrade("POST", "/postws"));
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.endsWith("WebSockets are not enabled for this route (set the ws flag in MAP)\n"), response);
        assertEquals(400, WsClient.refusedStatus(site.url(), "/postws"));
    }

    private static String upgrade(String method, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n";
    }

    private static HttpResponse<String> send(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(site.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
