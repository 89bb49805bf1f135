package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** this.sess inside the runtime, over a SessionData that records every call. */
@Timeout(60)
class SessionRuntimeTest {
    @TempDir
    Path site;
    JsRuntime runtime;
    Controller controller;
    final Map<String, String> stored = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    volatile boolean failWrites;

    final SessionData data = new SessionData() {
        @Override
        public String load(String id) {
            record("load " + id);
            return stored.getOrDefault(id, "{}");
        }

        @Override
        public void save(String id, String json) {
            record("save " + id + " " + json);
            if (failWrites) throw new IllegalStateException("disk full");
            stored.put(id, json);
        }

        @Override
        public void delete(String id) {
            record("delete " + id);
            stored.remove(id);
        }

        private void record(String call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }
    };

    @BeforeEach
    void start() throws Exception {
        Path file = site.resolve("s.ws");
        Files.writeString(file, """
                function init() { return 'g'; }
                function put(p) { this.sess.set(p.key, p.value); return this.sess.data; }
                function show() { return this.sess; }
                function proto() { this.sess.set('__proto__', {polluted: true}); return [this.sess.data.polluted === undefined, this.sess.get('__proto__')]; }
                function badKey() { this.sess.set(1, 2); }
                function undef() { this.sess.set('u', undefined); }
                """);
        runtime = JsRuntime.start(site, RuntimeLimits.DEFAULTS, data);
        controller = runtime.load(file);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private RecordingPeer open(String id, String session) {
        RecordingPeer peer = new RecordingPeer(id);
        runtime.open(peer, controller, Map.of(), session);
        return peer;
    }

    @Test
    void connectionsOfOneSessionShareOneObjectLoadedOnceAndReloadedAfterTheLastCloses() throws Exception {
        RecordingPeer a = open("a", "s1");
        RecordingPeer b = open("b", "s1");
        runtime.message(a, "[\"put\",{\"key\":\"n\",\"value\":1},1]");
        assertEquals("[\"_rpc\",{\"user_id\":0,\"n\":1},1]", a.next());
        runtime.message(b, "[\"show\",null,2]");
        assertEquals("[\"_rpc\",{\"id\":\"s1\",\"data\":{\"user_id\":0,\"n\":1}},2]", b.next());
        assertEquals(List.of("load s1", "save s1 {\"user_id\":0,\"n\":1}"), calls);
        runtime.closed(a);
        runtime.closed(b);
        RecordingPeer c = open("c", "s1");
        runtime.message(c, "[\"show\",null,3]");
        assertEquals("[\"_rpc\",{\"id\":\"s1\",\"data\":{\"user_id\":0,\"n\":1}},3]", c.next());
        assertEquals("load s1", calls.get(2), "the last close dropped the object, so the next connection loads again");
        assertEquals(Set.of("workjs-js"), threads, "the store is called on the loop thread only");
    }

    @Test
    void aFailedWriteIsAnErrorForTheCallerAndLeavesTheDataAsItWas() throws Exception {
        RecordingPeer a = open("a", "s2");
        failWrites = true;
        runtime.message(a, "[\"put\",{\"key\":\"n\",\"value\":1},1]");
        assertEquals("[\"_rpc\",null,1,{\"code\":\"CALL_FAILED\",\"message\":\"session store failed: disk full\"}]", a.next());
        runtime.message(a, "[\"show\",null,2]");
        assertEquals("[\"_rpc\",{\"id\":\"s2\",\"data\":{\"user_id\":0}},2]", a.next());
    }

    @Test
    void keysAreStringsValuesAreJsonAndProtoIsAPlainKey() throws Exception {
        RecordingPeer a = open("a", "s3");
        runtime.message(a, "[\"badKey\",null,1]");
        assertEquals("[\"_rpc\",null,1,{\"code\":\"CALL_FAILED\",\"message\":\"session key must be a string, got number\"}]", a.next());
        runtime.message(a, "[\"undef\",null,2]");
        assertEquals("[\"_rpc\",null,2,{\"code\":\"CALL_FAILED\",\"message\":\"session value for \\\"u\\\" is not JSON: undefined\"}]", a.next());
        runtime.message(a, "[\"proto\",null,3]");
        assertEquals("[\"_rpc\",[true,{\"polluted\":true}],3]", a.next());
        assertTrue(stored.get("s3").contains("\"__proto__\":{\"polluted\":true}"), stored.get("s3"));
    }
}
