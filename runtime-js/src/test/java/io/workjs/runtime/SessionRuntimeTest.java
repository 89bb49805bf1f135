package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** this.sess inside the runtime, over a SessionData that records every call and may answer late. */
@Timeout(60)
class SessionRuntimeTest {
    @TempDir
    Path site;
    JsRuntime runtime;
    Controller controller;
    final Map<String, String> stored = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Loads of these ids wait here until the test completes them. */
    final Map<String, CompletableFuture<String>> heldLoads = new ConcurrentHashMap<>();
    volatile boolean failWrites;

    final SessionData data = new SessionData() {
        @Override
        public CompletionStage<String> load(String id) {
            calls.add("load " + id);
            CompletableFuture<String> held = heldLoads.get(id);
            return held != null ? held : CompletableFuture.completedFuture(stored.getOrDefault(id, "{}"));
        }

        @Override
        public CompletionStage<Void> save(String id, String json) {
            calls.add("save " + id + " " + json);
            if (failWrites) return CompletableFuture.failedFuture(new IllegalStateException("disk full"));
            stored.put(id, json);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> delete(String id) {
            calls.add("delete " + id);
            stored.remove(id);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Renewal> renew(String id, String json) {
            calls.add("renew " + id + " " + json);
            if (failWrites) return CompletableFuture.failedFuture(new IllegalStateException("disk full"));
            String renewed = id + "-renewed";
            stored.put(renewed, json);
            stored.remove(id);
            return CompletableFuture.completedFuture(new Renewal(renewed, "ticket-of-" + renewed));
        }
    };

    @BeforeEach
    void start() throws Exception {
        Path file = site.resolve("s.ws");
        Files.writeString(file, """
                function init() { this.seenAtInit = this.sess.data.n; return 'g'; }
                function put(p) { this.sess.set(p.key, p.value); return this.sess.data; }
                function show() { return this.sess; }
                function atInit() { return this.seenAtInit === undefined ? null : this.seenAtInit; }
                function proto() { this.sess.set('__proto__', {polluted: true}); return [this.sess.data.polluted === undefined, this.sess.get('__proto__')]; }
                function badKey() { this.sess.set(1, 2); }
                function login(p) { this.sess.set('user_id', p); this.sess.regenerate(); return this.sess.id; }
                function undef() { this.sess.set('u', undefined); }
                function exit() { this.sendJSON('exit'); }
                """);
        runtime = JsRuntime.start(site, RuntimeLimits.DEFAULTS, RuntimeServices.defaults().withSessions(data));
        controller = runtime.load(file);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private Inbound open(RecordingPeer peer, String session) {
        return runtime.opened(peer, controller, Map.of(), session);
    }

    @Test
    void connectionsOfOneSessionShareOneObjectLoadedOnceAndReloadedAfterTheLastCloses() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        Inbound ia = open(a, "s1");
        Inbound ib = open(b, "s1");
        ia.message("[\"put\",{\"key\":\"n\",\"value\":1},1]");
        assertEquals("[\"_rpc\",{\"user_id\":0,\"n\":1},1]", a.next());
        ib.message("[\"show\",null,2]");
        assertEquals("[\"_rpc\",{\"id\":\"s1\",\"data\":{\"user_id\":0,\"n\":1}},2]", b.next());
        assertEquals(List.of("load s1", "save s1 {\"user_id\":0,\"n\":1}"), calls);
        ia.closed();
        ib.closed();
        assertEquals("\"exit\"", a.next(), "the peers stay open here, so exit() can say when the close has run");
        assertEquals("\"exit\"", b.next());
        RecordingPeer c = new RecordingPeer("c");
        open(c, "s1").message("[\"show\",null,3]");
        assertEquals("[\"_rpc\",{\"id\":\"s1\",\"data\":{\"user_id\":0,\"n\":1}},3]", c.next());
        assertEquals("load s1", calls.get(2), "the last close dropped the object, so the next connection loads again");
    }

    @Test
    void initWaitsForASessionThatLoadsLateOnAnotherThreadAndFramesWaitForInit() throws Exception {
        CompletableFuture<String> load = new CompletableFuture<>();
        heldLoads.put("late", load);
        RecordingPeer a = new RecordingPeer("a");
        Inbound inbound = open(a, "late");
        inbound.message("[\"atInit\",null,1]");
        inbound.message("[\"show\",null,2]");
        assertEquals(null, a.frames.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS), "nothing runs before the session is there");
        Thread.ofPlatform().start(() -> load.complete("{\"n\":7}"));
        assertEquals("[\"_rpc\",7,1]", a.next(), "init() saw the loaded data");
        assertEquals("[\"_rpc\",{\"id\":\"late\",\"data\":{\"n\":7,\"user_id\":0}},2]", a.next());
    }

    @Test
    void aSessionThatFailsToLoadIsAnonymous() throws Exception {
        heldLoads.put("broken", CompletableFuture.failedFuture(new IllegalStateException("store down")));
        RecordingPeer a = new RecordingPeer("a");
        open(a, "broken").message("[\"show\",null,1]");
        assertEquals("[\"_rpc\",{\"data\":{\"user_id\":0}},1]", a.next());
    }

    @Test
    void aFailedWriteIsASessionFailedErrorAndLeavesTheDataAsItWas() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        Inbound inbound = open(a, "s2");
        failWrites = true;
        inbound.message("[\"put\",{\"key\":\"n\",\"value\":1},1]");
        assertEquals("[\"_rpc\",null,1,{\"code\":\"SESSION_FAILED\",\"message\":\"session store failed: disk full\"}]", a.next());
        inbound.message("[\"show\",null,2]");
        assertEquals("[\"_rpc\",{\"id\":\"s2\",\"data\":{\"user_id\":0}},2]", a.next());
    }

    @Test
    void regenerateMovesOnlyTheCallingConnectionToANewIdWithItsDataAndSendsItTheTicketBeforeTheReply() throws Exception {
        RecordingPeer victim = new RecordingPeer("victim");
        RecordingPeer planter = new RecordingPeer("planter");
        Inbound v = open(victim, "fixed");
        Inbound p = open(planter, "fixed");
        v.message("[\"login\",42,1]");
        assertEquals("[\"_session\",{\"ticket\":\"ticket-of-fixed-renewed\"}]", victim.next());
        assertEquals("[\"_rpc\",\"fixed-renewed\",1]", victim.next());
        assertEquals("fixed-renewed", victim.renewedSession, "the transport checks a returning client against the new id");
        assertEquals(List.of("load fixed", "save fixed {\"user_id\":42}", "renew fixed {\"user_id\":42}"), calls);

        v.message("[\"show\",null,2]");
        assertEquals("[\"_rpc\",{\"id\":\"fixed-renewed\",\"data\":{\"user_id\":42}},2]", victim.next());
        p.message("[\"show\",null,3]");
        assertEquals("[\"_rpc\",{\"id\":\"fixed\",\"data\":{\"user_id\":0}},3]", planter.next(),
                "whoever else held the old id is left with an empty session");
        assertEquals(null, planter.renewedSession);
    }

    @Test
    void regenerateWithoutASessionIsNoSessionAndAFailedOneKeepsTheOldId() throws Exception {
        RecordingPeer anonymous = new RecordingPeer("anonymous");
        open(anonymous, null).message("[\"login\",1,1]");
        assertTrue(anonymous.next().contains("\"code\":\"NO_SESSION\""));

        RecordingPeer a = new RecordingPeer("a");
        Inbound inbound = open(a, "s4");
        inbound.message("[\"put\",{\"key\":\"n\",\"value\":1},1]");
        a.next();
        failWrites = true;
        inbound.message("[\"login\",7,2]");
        assertEquals("[\"_rpc\",null,2,{\"code\":\"SESSION_FAILED\",\"message\":\"session store failed: disk full\"}]", a.next());
        inbound.message("[\"show\",null,3]");
        assertEquals("[\"_rpc\",{\"id\":\"s4\",\"data\":{\"user_id\":0,\"n\":1}},3]", a.next());
    }

    @Test
    void keysAreStringsValuesAreJsonAndProtoIsAPlainKey() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        Inbound inbound = open(a, "s3");
        inbound.message("[\"badKey\",null,1]");
        assertEquals("[\"_rpc\",null,1,{\"code\":\"CALL_FAILED\",\"message\":\"session key must be a string, got number\"}]", a.next());
        inbound.message("[\"undef\",null,2]");
        assertEquals("[\"_rpc\",null,2,{\"code\":\"CALL_FAILED\",\"message\":\"session value for \\\"u\\\" is not JSON: undefined\"}]", a.next());
        inbound.message("[\"proto\",null,3]");
        assertEquals("[\"_rpc\",[true,{\"polluted\":true}],3]", a.next());
        assertTrue(stored.get("s3").contains("\"__proto__\":{\"polluted\":true}"), stored.get("s3"));
    }
}
