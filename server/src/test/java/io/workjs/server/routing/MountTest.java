package io.workjs.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTest {
    @TempDir
    Path dir;
    TestSite site;

    @BeforeEach
    void setUp() {
        site = new TestSite(dir);
    }

    private List<String> patterns() {
        return site.load().routes().stream().map(Route::pattern).toList();
    }

    @Test
    void mountPutsInnerRoutesUnderItsPrefix() {
        site.write("MAP", "/mod * :./modules/chat");
        site.write("modules/chat/MAP", "/x GET room", "@ GET index", "=/abs GET abs", "/ GET slash");
        assertEquals(List.of("/mod/x", "/mod", "/abs", "/mod/"), patterns());
    }

    @Test
    void innerTargetsAreRelativeToTheirOwnMapFolder() {
        site.write("MAP", "/mod * :modules/chat");
        site.write("modules/chat/MAP", "/:room GET room");
        Route route = site.onlyRoute();
        assertEquals("modules/chat/room", route.target());
        assertEquals(dir.toAbsolutePath().normalize().resolve("modules/chat/room.html"), route.page());
        assertEquals("modules/chat/MAP:1", route.source());
    }

    @Test
    void mountContentsSitAtThePositionOfTheMountLine() {
        site.write("MAP", "/a GET a", "/m * :m", "/z GET z");
        site.write("m/MAP", "/b GET b", "/c GET c");
        assertEquals(List.of("/a", "/m/b", "/m/c", "/z"), patterns());
    }

    @Test
    void mountAtTheRootAddsNoPrefix() {
        site.write("MAP", "@ * :m", "/ * :n");
        site.write("m/MAP", "/x GET x", "@ GET home");
        site.write("n/MAP", "/y GET y");
        assertEquals(List.of("/x", "/", "/y"), patterns());
    }

    @Test
    void absoluteMountIgnoresTheOuterPrefix() {
        site.write("MAP", "/outer * :a");
        site.write("a/MAP", "=/top * :b");
        site.write("a/b/MAP", "/x GET x");
        assertEquals(List.of("/top/x"), patterns());
    }

    @Test
    void mountsNest() {
        site.write("MAP", "/a * :a");
        site.write("a/MAP", "/b * :b", "/own GET own");
        site.write("a/b/MAP", "/:id GET leaf");
        List<Route> routes = site.load().routes();
        assertEquals("/a/b/:id", routes.get(0).pattern());
        assertEquals("a/b/leaf", routes.get(0).target());
        assertEquals("/a/own", routes.get(1).pattern());
    }

    @Test
    void mountFolderMayClimbBackWhileInsideTheSite() {
        site.write("MAP", "/a * :a");
        site.write("a/MAP", "/shared * :../shared");
        site.write("shared/MAP", "/x GET x");
        assertEquals("shared/x", site.onlyRoute().target());
        assertEquals("/a/shared/x", site.onlyRoute().pattern());
    }

    @Test
    void mountFlagsAreDefaultsThatRoutesOverridePerFlag() {
        site.write("MAP", "/m * :m {\"ws\": \"t\", \"session\": \"t\"}");
        site.write("m/MAP", "/a GET a", "/b GET b {\"ws\": \"f\"}");
        List<Route> routes = site.load().routes();
        assertTrue(routes.get(0).flag("ws", "GET"));
        assertTrue(routes.get(0).flag("session", "GET"));
        assertFalse(routes.get(1).flag("ws", "GET"));
        assertTrue(routes.get(1).flag("session", "GET"));
    }

    @Test
    void nestedMountFlagDefaultsStack() {
        site.write("MAP", "/a * :a {\"ws\": \"t\"}");
        site.write("a/MAP", "/b * :b {\"session\": \"t\"}");
        site.write("a/b/MAP", "/c GET c");
        Route route = site.onlyRoute();
        assertTrue(route.flag("ws", "GET"));
        assertTrue(route.flag("session", "GET"));
    }

    @Test
    void explicitMountMethodIsGivenToStarRoutes() {
        site.write("MAP", "/m POST :m");
        site.write("m/MAP", "/a * a", "/b post b");
        assertEquals(List.of("POST", "POST"), site.load().routes().stream().map(Route::method).toList());
    }

    @Test
    void starMountKeepsInnerMethods() {
        site.write("MAP", "/m * :m");
        site.write("m/MAP", "/a PUT a", "/b * b");
        assertEquals(List.of("PUT", "*"), site.load().routes().stream().map(Route::method).toList());
    }

    @Test
    void innerMethodThatDiffersFromTheMountsStopsLoading() {
        site.write("MAP", "# api", "/m GET :m");
        site.write("m/MAP", "/a GET a", "/b DELETE b");
        assertEquals("m/MAP:2: method DELETE conflicts with GET of the mount at MAP:2", site.loadError());
    }

    @Test
    void unknownFlagOnAMountIsWarnedAtTheMountLine() {
        site.write("MAP", "/m * :m {\"cache\": 1}");
        site.write("m/MAP", "/a GET a {\"cache\": 2}");
        Route route = site.onlyRoute();
        assertEquals("2", route.flags().get("cache").toString());
        assertEquals(List.of("MAP:1: unknown flag \"cache\" is kept but not used by WorkJS for the JVM"),
                site.warnings);
    }

    @Test
    void mountFolderWithoutMapStopsLoading() {
        site.write("MAP", "/m * :modules/none");
        site.write("modules/none/page.html", "<p>");
        assertEquals("MAP:1: mount folder \"modules/none\" has no MAP file", site.loadError());
    }

    @Test
    void mountFolderOutsideTheSiteStopsLoading() {
        site.write("MAP", "/m * :../elsewhere");
        assertEquals("MAP:1: mount folder \"../elsewhere\" is outside the site directory", site.loadError());
    }

    @Test
    void absoluteMountFolderStopsLoading() {
        site.write("MAP", "/m * :/srv/site");
        assertEquals("MAP:1: mount folder \"/srv/site\" must be relative to the MAP's folder", site.loadError());
    }

    @Test
    void mountWithoutFolderStopsLoading() {
        site.write("MAP", "/m * :");
        assertEquals("MAP:1: mount target \":\" names no folder", site.loadError());
    }

    @Test
    void mountCycleStopsLoading() {
        site.write("MAP", "/a * :a");
        site.write("a/MAP", "/b * :b");
        site.write("a/b/MAP", "", "/back * :../../a");
        assertEquals("a/b/MAP:2: mount cycle: a/MAP -> a/b/MAP -> a/MAP", site.loadError());
    }

    @Test
    void mountingTheSiteItselfIsACycle() {
        site.write("MAP", "/again * :.");
        assertEquals("MAP:1: mount cycle: MAP -> MAP", site.loadError());
    }

    @Test
    void mountingOneFolderTwiceSideBySideIsNotACycle() {
        site.write("MAP", "/one * :lib", "/two * :lib");
        site.write("lib/MAP", "/x GET x");
        assertEquals(List.of("/one/x", "/two/x"), patterns());
    }

    @Test
    void mountPathEndingInWildcardStopsLoading() {
        site.write("MAP", "/mod/* * :m");
        site.write("m/MAP", "/x GET x");
        assertEquals("MAP:1: a mount urlpath cannot end in \"*\": \"/mod/*\"", site.loadError());
    }

    @Test
    void errorsInsideAMountNameTheInnerFile() {
        site.write("MAP", "/m * :modules/chat");
        site.write("modules/chat/MAP", "/a GET a", "/b GET b", "/chat FETCH chat");
        assertEquals("modules/chat/MAP:3: unknown method \"FETCH\"", site.loadError());
    }

    @Test
    void duplicateVariableAcrossTheMountPrefixStopsLoading() {
        site.write("MAP", "/r/:id * :m");
        site.write("m/MAP", "/x/:id GET x");
        assertEquals("m/MAP:1: variable \":id\" appears twice in \"/r/:id/x/:id\"", site.loadError());
    }
}
