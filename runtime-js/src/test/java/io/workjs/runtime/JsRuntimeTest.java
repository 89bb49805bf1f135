package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JsRuntimeTest {
    @TempDir
    Path site;
    JsRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) runtime.close();
    }

    private Controller controller(String name, String source) throws Exception {
        Path file = site.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        if (runtime == null) runtime = JsRuntime.start(site);
        return runtime.load(file);
    }

    @Test
    void seedStyleControllerAnswersCalls() throws Exception {
        Controller c = controller("chat.ws", """
                function init() { return this.context.room; }
                function add(p) { return p.a + p.b; }
                var helper = 1;
                """);
        assertNull(c.error());
        assertEquals(java.util.List.of("add"), c.functions());
        RecordingPeer peer = new RecordingPeer("c1");
        runtime.opened(peer, c, Map.of("room", "r1"), null).message("[\"add\",{\"a\":1,\"b\":2},7]");
        assertEquals("[\"_rpc\",3,7]", peer.next());
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws Exception {
        Controller c = controller("bad.ws", "function init() { return 1; }\nvar x = ;\nfunction y() {}\n");
        assertTrue(c.error().startsWith("SyntaxError: bad.ws:2:"), c.error());
    }

    @Test
    void promiseResultIsSentWhenSettled() throws Exception {
        Controller c = controller("p.ws", """
                module.exports = {
                  init() { return 'g'; },
                  later(p) { return new Promise((resolve) => setTimeout(() => resolve(p * 2), 5)); },
                };
                """);
        RecordingPeer peer = new RecordingPeer("c1");
        runtime.opened(peer, c, Map.of(), null).message("[\"later\",21,1]");
        assertEquals("[\"_rpc\",42,1]", peer.next());
    }
}
