package io.workjs.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {
    @TempDir
    Path dir;

    private Router router(String... mapLines) {
        return new TestSite(dir).write("MAP", mapLines).load().router();
    }

    private static RouteMatch found(Router router, String method, String path) {
        return router.match(method, path).orElseThrow(() -> new AssertionError(method + " " + path));
    }

    private static void none(Router router, String method, String path) {
        Optional<RouteMatch> match = router.match(method, path);
        assertTrue(match.isEmpty(), () -> method + " " + path + " matched " + match.get().route());
    }

    @Test
    void literalPathMatchesExactly() {
        Router router = router("/chat GET chat");
        assertEquals("chat", found(router, "GET", "/chat").route().target());
        none(router, "GET", "/chats");
        none(router, "GET", "/chat/more");
        none(router, "GET", "/");
    }

    @Test
    void variableSegmentsGoIntoParams() {
        Router router = router("/chat/:room/:user GET chat");
        assertEquals(Map.of("room", "lobby", "user", "ann"), found(router, "GET", "/chat/lobby/ann").params());
        none(router, "GET", "/chat/lobby");
    }

    @Test
    void variableNeedsANonEmptySegment() {
        Router router = router("/chat/:room GET chat");
        none(router, "GET", "/chat//");
        none(router, "GET", "/chat/");
    }

    @Test
    void paramsAreUnmodifiable() {
        Map<String, String> params = found(router("/:a GET a"), "GET", "/x").params();
        assertThrows(UnsupportedOperationException.class, () -> params.put("b", "y"));
    }

    @Test
    void wildcardPutsTheRestIntoLocation() {
        Router router = router("/files/* GET files");
        assertEquals(Map.of("_location", "a/b/c.txt"), found(router, "GET", "/files/a/b/c.txt").params());
        assertEquals(Map.of("_location", "x"), found(router, "GET", "/files/x/").params());
    }

    @Test
    void wildcardMatchesZeroSegmentsWithEmptyLocation() {
        Router router = router("/files/* GET files", "/* GET all");
        assertEquals(Map.of("_location", ""), found(router, "GET", "/files").params());
        assertEquals(Map.of("_location", ""), found(router, "GET", "/files/").params());
        RouteMatch root = found(router, "GET", "/");
        assertEquals("all", root.route().target());
        assertEquals(Map.of("_location", ""), root.params());
    }

    @Test
    void wildcardAndVariablesCombine() {
        Router router = router("/u/:name/* GET u");
        assertEquals(Map.of("name", "ann", "_location", "pics/1"), found(router, "GET", "/u/ann/pics/1").params());
    }

    @Test
    void segmentsArePercentDecoded() {
        Router router = router("/chat/:room GET chat", "/caf\u00e9 GET cafe");
        assertEquals(Map.of("room", "a b"), found(router, "GET", "/chat/a%20b").params());
        assertEquals(Map.of("room", "\u00fc+x"), found(router, "GET", "/chat/%C3%BC+x").params());
        assertEquals("cafe", found(router, "GET", "/caf%C3%A9").route().target());
    }

    @Test
    void wildcardLocationIsDecodedToo() {
        Router router = router("/f/* GET f");
        assertEquals(Map.of("_location", "my docs/\u00e9"), found(router, "GET", "/f/my%20docs/%c3%a9").params());
    }

    @Test
    void badEscapesMeanNoMatchAndDoNotThrow() {
        Router router = router("/chat/:room GET chat");
        none(router, "GET", "/chat/%");
        none(router, "GET", "/chat/%2");
        none(router, "GET", "/chat/%zz");
        none(router, "GET", "/chat/%C3");
        none(router, "GET", "/chat/%FF%FE");
        none(router, "GET", "/chat/%\u0663\u0663");
    }

    @Test
    void dotSegmentsAreRejected() {
        Router router = router("/* GET all", "/a/:x GET a");
        none(router, "GET", "/a/..");
        none(router, "GET", "/a/%2E%2E");
        none(router, "GET", "/a/.");
        none(router, "GET", "/../etc/passwd");
        none(router, "GET", "/x/%2e/y");
    }

    @Test
    void encodedSlashBackslashAndNulAreRejected() {
        Router router = router("/a/:x GET a");
        none(router, "GET", "/a/b%2Fc");
        none(router, "GET", "/a/b%5Cc");
        none(router, "GET", "/a/b%00");
        none(router, "GET", "/a/b\\c");
    }

    @Test
    void pathWithoutLeadingSlashDoesNotMatch() {
        none(router("/* GET all"), "GET", "chat");
    }

    @Test
    void headAlsoMatchesGetRoutes() {
        Router router = router("/a GET a", "/b POST b");
        assertEquals("a", found(router, "HEAD", "/a").route().target());
        none(router, "HEAD", "/b");
        none(router, "POST", "/a");
    }

    @Test
    void headRouteDoesNotAnswerGet() {
        none(router("/a HEAD a"), "GET", "/a");
    }

    @Test
    void starMethodMatchesAnyMethod() {
        Router router = router("/a * a");
        assertEquals("a", found(router, "DELETE", "/a").route().target());
        assertEquals("a", found(router, "patch", "/a").route().target());
    }

    @Test
    void trailingSlashIsIgnored() {
        Router router = router("/chat GET chat", "/room/ GET room");
        assertEquals("chat", found(router, "GET", "/chat/").route().target());
        assertEquals("room", found(router, "GET", "/room").route().target());
        assertEquals("room", found(router, "GET", "/room/").route().target());
    }

    @Test
    void rootIsOnlyItself() {
        Router router = router("/ GET index");
        assertEquals("index", found(router, "GET", "/").route().target());
        none(router, "GET", "//");
        none(router, "GET", "/x");
    }

    @Test
    void firstMatchInMapOrderWins() {
        Router router = router("/chat/new GET create", "/chat/:room GET room", "/chat/:other GET never",
                "/chat/:room POST post");
        assertEquals("create", found(router, "GET", "/chat/new").route().target());
        assertEquals("room", found(router, "GET", "/chat/lobby").route().target());
        assertEquals("post", found(router, "POST", "/chat/lobby").route().target());
    }

    @Test
    void mountedRoutesMatchAtTheMountLinePosition() {
        TestSite site = new TestSite(dir).write("MAP", "/m/special GET special", "/m * :m", "/m/:x GET late");
        site.write("m/MAP", "/:x GET inner");
        Router router = site.load().router();
        assertEquals("special", found(router, "GET", "/m/special").route().target());
        assertEquals("m/inner", found(router, "GET", "/m/other").route().target());
    }
}
