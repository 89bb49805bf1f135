package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.support.Await;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Development mode (--dev, CONF servermode): real edits of the files of a running server's site
 * (sites/dev), with calls before and after on the same connection. docs/OPERATIONS.md.
 */
@Timeout(60)
class DevModeTest {
    @TempDir
    Path temp;
    TestSite site;
    Path dir;
    final AtomicInteger seq = new AtomicInteger();

    @BeforeEach
    void start() {
        site = TestSite.start("dev", temp, c -> c.withOps(c.ops().withDevelopment(true)));
        dir = site.dir();
    }

    @AfterEach
    void stop() {
        site.close();
    }

    /** Calls {@code name} and returns the result's JSON, skipping events that come first. */
    private String result(WsClient ws, String name, String param) {
        int n = seq.incrementAndGet();
        ws.send("[\"" + name + "\"," + param + "," + n + "]");
        while (true) {
            JsonArray frame = JsonParser.parseString(ws.next()).getAsJsonArray();
            if (frame.get(0).getAsString().equals("_rpc") && frame.get(2).getAsInt() == n) {
                if (frame.size() > 3) return "error " + frame.get(3).getAsJsonObject().get("code").getAsString();
                return frame.get(1).toString();
            }
        }
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = dir.resolve(file);
        String text = Files.readString(path);
        assertTrue(text.contains(from), file + " has " + from);
        Files.writeString(path, text.replace(from, to));
    }

    /** The next event of that name, skipping others. */
    private static JsonObject event(WsClient ws, String name) {
        while (true) {
            JsonArray frame = JsonParser.parseString(ws.next()).getAsJsonArray();
            if (frame.get(0).getAsString().equals(name)) return frame.get(1).getAsJsonObject();
        }
    }

    @Test
    void anEditedControllerRunsItsNewCodeOnTheSameConnectionWithTheSameThisAndGroup() throws Exception {
        try (WsClient ws = site.connect("/d/room"); WsClient other = site.connect("/d/room")) {
            assertEquals("1", result(ws, "version", "null"));
            assertEquals("true", result(ws, "remember", "\"kept\""));
            edit("d.ws", "function version() { return 1; }", "function version() { return 2; }");
            Await.until("the new version answers", () -> result(ws, "version", "null").equals("2"));
            assertEquals("\"kept\"", result(ws, "recall", "null"), "the same this");
            assertEquals("2", result(ws, "loads", "null"), "the file's top level ran again, once");
            ws.send("[\"shout\",\"hi\"]");
            assertEquals("[\"shout\",\"hi\"]", other.next(), "still in the same group");
        }
    }

    @Test
    void aBrokenEditLeavesThePreviousVersionServingAndTellsThePagesWithFileAndLine() throws Exception {
        try (LogCapture log = new LogCapture(); WsClient ws = site.connect("/d/room")) {
            assertEquals("1", result(ws, "version", "null"));
            edit("d.ws", "function version() { return 1; }", "function version() { return 1; }\nfunction broken( {");
            JsonObject failed = event(ws, "_error");
            assertEquals("RELOAD_FAILED", failed.get("code").getAsString());
            assertTrue(failed.get("message").getAsString().matches("(?s).*SyntaxError.*d\\.ws:\\d+.*"), "file and line: " + failed);
            assertTrue(log.await("dev: SyntaxError").matches("(?s).*d\\.ws:\\d+.*"), log.lines().toString());
            assertEquals("1", result(ws, "version", "null"), "the previous version serves");
            edit("d.ws", "function broken( {", "function version3() { return 3; }");
            Await.until("the fixed file is loaded", () -> result(ws, "version3", "null").equals("3"));
        }
    }

    @Test
    void aRequireOfAMissingFileFailsTheReloadAndTheOldModuleStays() throws Exception {
        try (WsClient ws = site.connect("/d/room")) {
            edit("d.ws", "require('./lib/greet.js')", "require('./lib/missing.js')");
            JsonObject failed = event(ws, "_error");
            assertEquals("RELOAD_FAILED", failed.get("code").getAsString());
            assertTrue(failed.get("message").getAsString().contains("missing.js"), failed.toString());
            assertEquals("\"hello ann\"", result(ws, "hello", "\"ann\""));
        }
    }

    @Test
    void anEditedModuleReachesTheControllersThatRequireIt() throws Exception {
        try (WsClient ws = site.connect("/d/room")) {
            assertEquals("\"hello ann\"", result(ws, "hello", "\"ann\""));
            edit("lib/greet.js", "'hello '", "'good day '");
            Await.until("the controller uses the new module", () -> result(ws, "hello", "\"ann\"").equals("\"good day ann\""));
        }
    }

    @Test
    void aBurstOfSavesIsOneReload() throws Exception {
        try (WsClient ws = site.connect("/d/room")) {
            assertEquals("1", result(ws, "loads", "null"));
            edit("lib/greet.js", "'hello '", "'hi '");
            edit("d.ws", "function version() { return 1; }", "function version() { return 2; }");
            edit("d.ws", "function version() { return 2; }", "function version() { return 3; }");
            Await.until("the last version answers", () -> result(ws, "version", "null").equals("3"));
            Thread.sleep(1200);   // the watcher's longest wait: a second reload would have begun by now
            assertEquals("2", result(ws, "loads", "null"), "three writes to two files, one reload");
            assertEquals("\"hi ann\"", result(ws, "hello", "\"ann\""));
        }
    }

    @Test
    void anEditedMapReloadsTheRoutesAndABadLineKeepsThePreviousOnes() throws Exception {
        try (LogCapture log = new LogCapture(); WsClient ws = site.connect("/d/room")) {
            assertEquals(404, site.get("/e/room").statusCode());
            Files.writeString(dir.resolve("MAP"), Files.readString(dir.resolve("MAP")) + "/e/:room   get   d   {\"ws\": \"t\"}\n");
            Await.until("the new route serves", () -> site.get("/e/room").statusCode() == 200);
            try (WsClient onNewRoute = site.connect("/e/room")) {
                assertEquals("1", result(onNewRoute, "version", "null"));
            }
            Files.writeString(dir.resolve("MAP"), Files.readString(dir.resolve("MAP")) + "/f   get\n");
            JsonObject failed = event(ws, "_error");
            assertEquals("RELOAD_FAILED", failed.get("code").getAsString());
            assertTrue(log.await("dev: MAP not reloaded").contains("MAP:4"), log.lines().toString());
            assertEquals(200, site.get("/e/room").statusCode(), "the previous routes serve");
        }
    }

    @Test
    void anEditedPageOrStaticFileTellsItsPagesToReload() throws Exception {
        try (WsClient ws = site.connect("/d/room")) {
            edit("d.html", "<p id=\"marker\">one</p>", "<p id=\"marker\">two</p>");
            JsonObject reload = event(ws, "_reload");
            assertEquals("[\"d.html\"]", reload.get("files").toString());
            assertTrue(site.get("/d/room").body().contains("<p id=\"marker\">two</p>"), "the page is served fresh");
            edit("static/app.css", "black", "navy");
            assertEquals("[\"static/app.css\"]", event(ws, "_reload").get("files").toString());
            assertTrue(site.get("/static/app.css").body().contains("navy"));
            assertEquals("no-cache", site.get("/static/app.css").headers().firstValue("Cache-Control").orElse(""),
                    "revalidated on every use in development mode");
        }
    }

    @Test
    void timersAndListenersTheOldTopLevelSetAreUndone() throws Exception {
        edit("d.ws", "const greet", "globalThis.ticks = 0; setInterval(() => { globalThis.ticks++; }, 5);\nconst greet");
        try (WsClient ws = site.connect("/d/room")) {
            Await.until("the first version's interval ticks", () -> Integer.parseInt(result(ws, "loads", "null")) >= 2
                    && ticks(ws) > 3);
            edit("d.ws", "setInterval(() => { globalThis.ticks++; }, 5);", "");
            Await.until("the second version answers", () -> result(ws, "loads", "null").equals("3"));
            int stopped = ticks(ws);
            Thread.sleep(100);   // twenty intervals' worth
            assertEquals(stopped, ticks(ws), "the old version's interval is cleared");
        }
    }

    private int ticks(WsClient ws) {
        return Integer.parseInt(result(ws, "ticks", "null"));
    }

    @Test
    void productionModeWatchesNothing(@TempDir Path other) {
        Await.until("earlier tests' watchers are gone", () -> count() == 1);
        try (TestSite production = TestSite.start("dev", other)) {
            assertEquals(1, count(), "only the development-mode server of this test watches");
        }
    }

    private static long count() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("workjs-watch")).count();
    }
}
