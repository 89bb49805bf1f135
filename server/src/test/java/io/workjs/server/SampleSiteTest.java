package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sample chat's controller, served from sample-site/ itself, as two people use it. */
@Timeout(60)
class SampleSiteTest {
    static WorkServer server;

    @BeforeAll
    static void start(@TempDir Path data) {
        // The session store and secret go to a temporary folder, not into the repository's sample-site/.
        server = WorkServer.start(ServerConfig.defaults(Path.of("..", "sample-site").toAbsolutePath().normalize())
                .withPort(0).withData(data));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static JsonArray frame(WsClient ws) {
        return JsonParser.parseString(ws.next()).getAsJsonArray();
    }

    /** Skips events until the reply to {@code seq} and returns its result. */
    private static JsonObject reply(WsClient ws, int seq) {
        for (int i = 0; i < 20; i++) {
            JsonArray f = frame(ws);
            if (f.get(0).getAsString().equals("_rpc") && f.get(2).getAsInt() == seq) return f.get(1).getAsJsonObject();
        }
        throw new AssertionError("no reply to " + seq);
    }

    @Test
    void membersSeeEachOtherJoinTalkAndLeaveAndNewcomersGetTheHistory() {
        try (WsClient ann = WsClient.connect(server.url(), "/chat/sample-a")) {
            JsonObject hello = reply(ann.send("[\"hello\",{\"nick\":\"ann\"},1]"), 1);
            assertEquals(0, hello.getAsJsonArray("history").size());
            WsClient bob = WsClient.connect(server.url(), "/chat/sample-a");
            JsonObject bobHello = reply(bob.send("[\"hello\",{\"nick\":\"bob\"},1]"), 1);
            assertEquals(2, bobHello.getAsJsonArray("members").size());
            JsonArray join = frame(ann);
            assertEquals("join", join.get(0).getAsString());
            assertEquals("bob", join.get(1).getAsJsonObject().get("nick").getAsString());

            bob.send("[\"say\",{\"text\":\"hi ann\"},2]");
            JsonArray message = frame(ann);
            assertEquals("message", message.get(0).getAsString());
            assertEquals("hi ann", message.get(1).getAsJsonObject().get("text").getAsString());
            assertTrue(message.get(1).getAsJsonObject().get("color").getAsString().startsWith("hsl("));

            bob.close();
            JsonArray leave = frame(ann);
            assertEquals("leave", leave.get(0).getAsString());
            assertEquals("bob", leave.get(1).getAsJsonObject().get("nick").getAsString());

            try (WsClient carl = WsClient.connect(server.url(), "/chat/sample-a")) {
                JsonArray history = reply(carl.send("[\"hello\",{\"nick\":\"carl\"},1]"), 1).getAsJsonArray("history");
                assertEquals("hi ann", history.get(0).getAsJsonObject().get("text").getAsString());
            }
        }
    }

    @Test
    void landingPageListsRoomsLiveAsPeopleComeAndGo() {
        try (WsClient landing = WsClient.connect(server.url(), "/")) {
            String before = landing.call("[\"list\",null,1]");
            // the other tests' rooms may come and go first: their "rooms" events can precede the reply
            while (before.startsWith("[\"rooms\",")) before = landing.next();
            assertTrue(before.startsWith("[\"_rpc\",[") && !before.contains("sample-live"), before);
            WsClient visitor = WsClient.connect(server.url(), "/chat/sample-live");
            awaitRooms(landing, rooms -> rooms.contains("{\"name\":\"sample-live\",\"members\":1}"));
            visitor.close();
            awaitRooms(landing, rooms -> !rooms.contains("sample-live"));
        }
    }

    /** Reads "rooms" events until one satisfies the condition; other tests' rooms may come and go in between. */
    private static void awaitRooms(WsClient landing, java.util.function.Predicate<String> condition) {
        for (int i = 0; i < 20; i++) {
            String frame = landing.next();
            assertTrue(frame.startsWith("[\"rooms\",["), frame);
            if (condition.test(frame)) return;
        }
        throw new AssertionError("no rooms event met the condition");
    }

    @Test
    void roomsAreSeparate() throws Exception {
        try (WsClient a = WsClient.connect(server.url(), "/chat/sample-b"); WsClient c = WsClient.connect(server.url(), "/chat/sample-c")) {
            reply(a.send("[\"hello\",{\"nick\":\"a\"},1]"), 1);
            reply(c.send("[\"hello\",{\"nick\":\"c\"},1]"), 1);
            a.send("[\"say\",{\"text\":\"only b\"},2]");
            assertEquals("message", frame(a).get(0).getAsString());
            assertEquals(null, c.poll(200));
        }
    }

    @Test
    void badInputIsRefusedWithAClearError() {
        try (WsClient ws = WsClient.connect(server.url(), "/chat/sample-d")) {
            assertEquals("[\"_rpc\",null,1,{\"code\":\"CALL_FAILED\",\"message\":\"call hello with a nickname first\"}]",
                    ws.call("[\"say\",{\"text\":\"x\"},1]"));
            assertEquals("[\"_rpc\",null,2,{\"code\":\"CALL_FAILED\",\"message\":\"nickname must be 1 to 24 characters\"}]",
                    ws.call("[\"hello\",{\"nick\":\"   \"},2]"));
        }
        try (WsClient bad = WsClient.connect(server.url(), "/chat/Not_A_Room")) {
            assertEquals(new WsClient.Close(1008, "denied by init()"), bad.awaitClose());
        }
    }
}
