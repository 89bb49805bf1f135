package io.workjs.server.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagsTest {
    @TempDir
    Path dir;
    TestSite site;

    @BeforeEach
    void setUp() {
        site = new TestSite(dir);
    }

    @Test
    void flagsMayContainSpaces() {
        site.write("MAP", "/chat  GET  chat  {\"ws\": \"t\", \"session\": \"t\"}  ");
        Route route = site.onlyRoute();
        assertTrue(route.flag("ws", "GET"));
        assertTrue(route.flag("session", "GET"));
        assertEquals(List.of("ws", "session"), List.copyOf(route.flags().keySet()));
    }

    @Test
    void stringAndBooleanValuesResolveToOnAndOff() {
        site.write("MAP", "/a GET a {\"ws\": \"t\", \"session\": \"f\"}", "/b GET b {\"ws\": true, \"session\": false}");
        List<Route> routes = site.load().routes();
        for (Route route : routes) {
            assertTrue(route.flag("ws", "GET"));
            assertFalse(route.flag("session", "GET"));
        }
    }

    @Test
    void absentFlagIsOff() {
        site.write("MAP", "/a GET a");
        assertFalse(site.onlyRoute().flag("ws", "GET"));
    }

    @Test
    void perMethodFlagLooksUpTheMethodThenStar() {
        site.write("MAP", "/a * a {\"ws\": {\"get\": \"t\", \"Post\": false, \"*\": \"t\"}, \"session\": {\"PUT\": true}}");
        Route route = site.onlyRoute();
        assertTrue(route.flag("ws", "GET"));
        assertTrue(route.flag("ws", "get"));
        assertFalse(route.flag("ws", "POST"));
        assertTrue(route.flag("ws", "DELETE"));
        assertTrue(route.flag("session", "PUT"));
        assertFalse(route.flag("session", "GET"));
    }

    @Test
    void rawFlagsAreUnmodifiableCopies() {
        site.write("MAP", "/a GET a {\"ws\": {\"get\": \"t\"}}");
        Route route = site.onlyRoute();
        route.flags().get("ws").getAsJsonObject().add("get", new JsonPrimitive("f"));
        assertTrue(route.flag("ws", "GET"));
        assertThrows(UnsupportedOperationException.class, () -> route.flags().clear());
    }

    @Test
    void unknownFlagIsKeptAndWarnedOnceWithFileAndLine() {
        site.write("MAP", "/a GET a", "/b GET b {\"cache\": 60}", "/c GET c {\"cache\": 5, \"gzip\": \"t\"}");
        List<Route> routes = site.load().routes();
        assertEquals(new JsonPrimitive(60), routes.get(1).flags().get("cache"));
        assertTrue(routes.get(2).flag("gzip", "GET"));
        assertEquals(List.of(
                "MAP:2: unknown flag \"cache\" is kept but not used by WorkJS for the JVM",
                "MAP:3: unknown flag \"gzip\" is kept but not used by WorkJS for the JVM"), site.warnings);
    }

    @Test
    void flagsThatAreNotJsonStopLoading() {
        site.write("MAP", "/a GET a {ws: t}");
        assertEquals("MAP:1: flags are not valid JSON: {ws: t}", site.loadError());
    }

    @Test
    void textAfterTheFlagsObjectIsNotJson() {
        site.write("MAP", "/a GET a {\"ws\": \"t\"} extra");
        assertEquals("MAP:1: flags are not valid JSON: {\"ws\": \"t\"} extra", site.loadError());
    }

    @Test
    void flagsThatAreNotAnObjectStopLoading() {
        site.write("MAP", "/a GET a [\"ws\"]");
        assertEquals("MAP:1: flags must be a JSON object like {\"ws\": \"t\"}, got [\"ws\"]", site.loadError());
    }

    @Test
    void badFlagValueStopsLoading() {
        site.write("MAP", "/a GET a {\"ws\": \"yes\"}");
        assertEquals("MAP:1: flag \"ws\" must be \"t\", \"f\", true, false or an object of methods, got \"yes\"",
                site.loadError());
    }

    @Test
    void badPerMethodKeyStopsLoading() {
        site.write("MAP", "/a GET a {\"session\": {\"fetch\": \"t\"}}");
        assertEquals("MAP:1: flag \"session\" has an unknown method key \"fetch\"", site.loadError());
    }

    @Test
    void badPerMethodValueStopsLoading() {
        site.write("MAP", "/a GET a {\"ws\": {\"get\": 1}}");
        assertEquals("MAP:1: flag \"ws\" for \"get\" must be \"t\", \"f\", true or false, got 1", site.loadError());
    }

    @Test
    void routeListingShowsMethodPatternTargetAndFlags() {
        site.write("MAP", "/chat/:room GET chat {\"ws\": \"t\"}", "/ * index");
        List<Route> routes = site.load().routes();
        assertEquals("GET  /chat/:room  -> chat  {\"ws\":\"t\"}", routes.get(0).toString());
        assertEquals("*  /  -> index", routes.get(1).toString());
    }
}
