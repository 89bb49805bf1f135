package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.server.config.ServerConfig;
import io.workjs.server.support.Await;
import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload in Chromium (development mode, docs/OPERATIONS.md): the shipped client reloads
 * its page when the page or a static file changes, and in debug mode shows a reload that
 * failed. The page (sites/dev/d.html) counts its loads in sessionStorage.
 */
@Timeout(120)
class DevReloadBrowserIT {
    @TempDir
    Path temp;

    private static void edit(Path file, String from, String to) throws Exception {
        Files.writeString(file, Files.readString(file).replace(from, to));
    }

    @Test
    void aPageReloadsItselfWhenItOrAStaticFileChangesAndShowsAFailedReloadInDebugMode() throws Exception {
        Browser.requireInstalled();
        Path dir = TestSite.copy("dev", temp);
        ServerConfig config = ServerConfig.defaults(dir).withPort(0);
        try (WorkServer server = WorkServer.start(config.withOps(config.ops().withDevelopment(true)));
                Browser page = Browser.start()) {
            page.open(server.url() + "/d/room");
            page.await("the page is connected", "ws.state === 'open'");
            assertEquals("one", page.eval("document.getElementById('marker').textContent"));

            edit(dir.resolve("d.html"), ">one<", ">two<");
            page.await("the page reloaded itself with its new text",
                    "window.loads === 2 && document.getElementById('marker').textContent === 'two'");
            page.await("connected again", "ws.state === 'open'");

            edit(dir.resolve("static/app.css"), "black", "rgb(0, 0, 128)");
            page.await("reloaded for the stylesheet, which applies",
                    "window.loads === 3 && getComputedStyle(document.body).color === 'rgb(0, 0, 128)'");
            page.await("connected again", "ws.state === 'open'");

            List<String> console = new ArrayList<>();
            edit(dir.resolve("d.ws"), "function version() { return 1; }", "function version( {");
            Await.until("the debug console shows the failed reload", () -> {
                console.addAll(page.console());
                return console.stream().anyMatch(l -> l.contains("RELOAD_FAILED") && l.contains("d.ws:"));
            });
            assertEquals(3L, page.eval("window.loads"), "a controller that failed to load does not reload the page");
        }
    }
}
