package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A controller cannot get out of its sandbox: each escape in sites/security/escape.ws is tried
 * through a real connection and must report "blocked". (SandboxTest covers require's own rules.)
 */
@Timeout(60)
class SandboxEscapeTest {
    @TempDir
    static Path temp;
    static TestSite site;
    static WsClient ws;
    static int seq;

    @BeforeAll
    static void start() throws Exception {
        Path dir = TestSite.copy("security", temp);
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.js"), "module.exports = 'outside secret';\n");
        Files.createSymbolicLink(dir.resolve("lib/outside"), outside);
        Files.createSymbolicLink(dir.resolve("lib/passwd.js"), Path.of("/etc/passwd"));
        site = TestSite.serve(dir);
        ws = site.connect("/escape");
    }

    @AfterAll
    static void stop() {
        ws.close();
        site.close();
    }

    private static String call(String function, String param) {
        int n = ++seq;
        String reply = ws.call("[\"" + function + "\"," + param + "," + n + "]");
        String prefix = "[\"_rpc\",\"";
        assertTrue(reply.startsWith(prefix) && reply.endsWith("\"," + n + "]"), function + " -> " + reply);
        return reply.substring(prefix.length(), reply.length() - ("\"," + n + "]").length());
    }

    private static void assertBlocked(String function) {
        String result = call(function, "null");
        assertTrue(result.startsWith("blocked"), function + "() got out: " + result);
    }

    @Test
    void globalObjectHoldsNothingBeyondStandardJsAndTheRuntimesTimersAndConsole() {
        assertEquals("", call("globals", "null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"javaType", "packages", "javaLang"})
    void hostClassesCannotBeLookedUp(String escape) {
        assertBlocked(escape);
    }

    @Test
    void wsIsAFrozenJsObjectWhoseSharedMethodsAreJsFunctionsNoControllerCanReplace() {
        assertBlocked("wsReflection");
    }

    @Test
    void valuesPassedInAreJsValuesWithoutGetClass() {
        assertBlocked("getClassOnValuesPassedIn", "{\"list\":[1,2]}");
    }

    @Test
    void connectionRecordAndItsHostObjectsAreOutOfReach() {
        assertEquals("blocked: only exported methods on 0 host objects", call("hostObjectsBehindSymbols", "null"));
    }

    @Test
    void callerChainStopsAtTheStrictRuntime() {
        assertBlocked("callerChain");
    }

    @Test
    void stackFramesOfTheRuntimeGiveNoFunctionsOrThis() {
        assertBlocked("stackTraceFrames");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shellLoad", "shellRead", "shellReadFile", "shellReadbuffer", "requireUp", "requireDeep",
        "importFile", "importSiteFile"})
    void filesCannotBeRead(String escape) {
        assertBlocked(escape);
    }

    @ParameterizedTest
    @ValueSource(strings = {"requireThroughLinkedFolder", "requireLinkToSystemFile"})
    void requireDoesNotFollowLinksOutOfTheSite(String escape) {
        assertBlocked(escape);
    }

    @ParameterizedTest
    @ValueSource(strings = {"processObject", "polyglotEval", "graalBuiltin"})
    void processesAndOtherLanguagesAreOutOfReach(String escape) {
        assertBlocked(escape);
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker", "threadClass"})
    void threadsCannotBeStarted(String escape) {
        assertBlocked(escape);
    }

    @Test
    void nativeCodeCannotBeLoaded() {
        assertBlocked("nativeAccess");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evalJava", "indirectEval", "functionConstructor", "constructorOfWsMethod", "shadowRealm"})
    void evalAndFunctionReachNoneOfIt(String escape) {
        assertBlocked(escape);
    }

    private static void assertBlocked(String function, String param) {
        String result = call(function, param);
        assertTrue(result.startsWith("blocked"), function + "() got out: " + result);
    }
}
