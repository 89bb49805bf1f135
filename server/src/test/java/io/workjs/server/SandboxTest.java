package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.LogCapture;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** CommonJS controllers, require() confined to the site, and what controllers cannot reach. */
@Timeout(60)
class SandboxTest {
    @TempDir
    static Path temp;
    static TestSite site;

    @BeforeAll
    static void start() throws Exception {
        Path dir = TestSite.copy("basic", temp);
        Files.writeString(temp.resolve("outside.js"), "module.exports = 'outside';\n");
        Files.createSymbolicLink(dir.resolve("lib/link.js"), temp.resolve("outside.js"));
        Files.writeString(dir.resolve("cjs.ws"), Files.readString(dir.resolve("cjs.ws"))
                .replace("  javaType()", "  requireLink() { return require('./lib/link.js'); },\n  javaType()"));
        site = TestSite.serve(dir);
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private static String call(String function) {
        try (WsClient ws = site.connect("/cjs/s")) {
            return ws.call("[\"" + function + "\",null,1]");
        }
    }

    private static String failure(String code, String message) {
        return "[\"_rpc\",null,1,{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]";
    }

    @Test
    void exportsAreTheControllerAndWinOverTopLevelFunctions() {
        try (WsClient ws = site.connect("/cjs/s")) {
            assertEquals("[\"_rpc\",42,1]", ws.call("[\"double\",21,1]"));
            assertEquals("[\"_rpc\",null,2,{\"code\":\"NO_SUCH_FUNCTION\",\"message\":\"no callable function \\\"hidden\\\" in cjs.ws\"}]",
                    ws.call("[\"hidden\",null,2]"));
        }
    }

    @Test
    void requireLoadsJsAndJsonFromTheSite() {
        assertEquals("[\"_rpc\",{\"answer\":42},1]", call("data"));
    }

    @Test
    void requireCannotLeaveTheSiteDirectory() {
        assertEquals(failure("MODULE_REFUSED", "require('../outside.js') in cjs.ws: the path leads outside the site directory"), call("requireOutside"));
        assertEquals(failure("MODULE_REFUSED", "require('/etc/passwd') in cjs.ws: only files of the site can be required, by a path starting with ./ or ../"),
                call("requireAbsolute"));
        assertEquals(failure("MODULE_REFUSED", "require('fs') in cjs.ws: only files of the site can be required, by a path starting with ./ or ../"),
                call("requireBuiltin"));
    }

    @Test
    void requireDoesNotFollowALinkOutOfTheSite() {
        assertEquals(failure("MODULE_REFUSED", "require('./lib/link.js') in cjs.ws: the path leads outside the site directory"), call("requireLink"));
    }

    @Test
    void requireTakesOnlyJsAndJsonFiles() {
        assertEquals(failure("MODULE_REFUSED", "require('./chat.ws') in cjs.ws: only .js and .json files can be required"), call("requireWs"));
        assertEquals(failure("MODULE_NOT_FOUND", "require('./lib/nope.js') in cjs.ws: no such file"), call("requireMissing"));
    }

    @Test
    void controllersSeeNoJavaNoLoadNoPrintNoPolyglot() {
        assertEquals("[\"_rpc\",\"undefined\",1]", call("javaType"));
        assertEquals("[\"_rpc\",\"undefined undefined undefined\",1]", call("loadType"));
    }

    @Test
    void consoleLogGoesToTheServerLogTaggedWithTheFile() {
        try (LogCapture log = new LogCapture(); WsClient ws = site.connect("/chat/c")) {
            assertEquals("[\"_rpc\",true,1]", ws.call("[\"log\",{\"n\":1},1]"));
            assertTrue(log.await("log from chat").contains("[chat.ws] log from chat {\"n\":1}"), log.lines().toString());
        }
    }
}
