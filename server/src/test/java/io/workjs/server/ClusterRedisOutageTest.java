package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Await;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.RedisServer;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis stops and comes back under two nodes: each goes on answering its own members' calls,
 * sends the events that waited once Redis is back (to every member, each once, in the group's
 * order), tells every member how many it had to drop past its outbox, and loses no session
 * write it acknowledged.
 */
@Timeout(120)
class ClusterRedisOutageTest {
    @TempDir
    Path temp;
    RedisServer redis;
    Nodes nodes;

    @AfterEach
    void stop() {
        if (nodes != null) nodes.close();
        if (redis != null) redis.close();
    }

    @Test
    void whileRedisIsDownANodeAnswersCallsAndEveryMemberGetsTheEventsOnceWhenRedisIsBack() throws Exception {
        redis = RedisServer.start();
        nodes = new Nodes("cluster", 2, redis, temp);
        String cookie = nodes.sessionCookie(0, "/room/down");
        WsClient ann = nodes.connect(0, "/room/down", "Cookie", cookie);
        WsClient bob = nodes.connect(1, "/room/down");
        assertEquals("[\"_rpc\",true,1]", ann.call("[\"put\",{\"key\":\"colour\",\"value\":\"teal\"},1]"));
        assertEquals("[\"_rpc\",true,2]", bob.call("[\"nick\",\"bob\",2]"));
        Await.until("ann sees bob", () -> ann.call("[\"members\",null,3]").contains("\"bob\""));

        redis.kill();
        Await.until("node 1 knows Redis is down", () -> !nodes.node(0).cluster().redisUp());
        for (int i = 1; i <= 3; i++) ann.send("[\"say\",\"e" + i + "\"]");
        assertEquals("[\"_rpc\",true,4]", ann.call("[\"nick\",\"ann\",4]"), "a node answers its members' calls while Redis is down");
        JsonObject failed = error(ann.call("[\"put\",{\"key\":\"colour\",\"value\":\"red\"},5]"));
        assertEquals("SESSION_FAILED", failed.get("code").getAsString(), "a session write Redis cannot take is refused, not lost silently");
        assertNull(bob.poll(300), "events wait for Redis");

        redis.restart();
        assertEquals(List.of("e1", "e2", "e3"), said(bob, 3), "what waited arrives once Redis is back, in order");
        assertEquals(List.of("e1", "e2", "e3"), said(ann, 3), "to the sender's node's members too, in the same order");
        ann.send("[\"say\",\"after\"]");
        assertEquals(List.of("after"), said(ann, 1), "nothing twice");
        assertEquals(List.of("after"), said(bob, 1));
        assertEquals(0, nodes.node(0).cluster().droppedEvents());

        WsClient later = nodes.connect(1, "/room/down", "Cookie", cookie);
        assertEquals("[\"_rpc\",\"teal\",6]", later.call("[\"read\",\"colour\",6]"), "the acknowledged write survived Redis's crash");
        Await.until("membership resynchronised", () -> bob.call("[\"members\",null,6]").contains("\"bob\"")
                && count(bob.call("[\"members\",null,7]")) == 3);
        later.close();
        ann.close();
        bob.close();
    }

    @Test
    void eventsPastTheOutboxAreDroppedCountedAndReportedToEveryMemberAsAGap() throws Exception {
        redis = RedisServer.start();
        nodes = new Nodes("cluster", 2, redis, temp, c -> c.withLimits(c.limits().with(Limits.REDIS_OUTBOX, 3)));
        WsClient ann = nodes.connect(0, "/room/full");
        WsClient bob = nodes.connect(1, "/room/full");
        assertEquals("[\"_rpc\",true,1]", bob.call("[\"nick\",\"bob\",1]"));
        Await.until("ann sees bob", () -> ann.call("[\"members\",null,2]").contains("\"bob\""));

        redis.kill();
        Await.until("node 1 knows Redis is down", () -> !nodes.node(0).cluster().redisUp());
        for (int i = 1; i <= 6; i++) ann.send("[\"say\",\"e" + i + "\"]");
        Await.until("three dropped past redisOutboxEvents, and counted", () -> nodes.node(0).cluster().droppedEvents() == 3);

        redis.restart();
        for (WsClient member : List.of(ann, bob)) {
            List<String> frames = new ArrayList<>();
            while (frames.size() < 4) {
                String f = member.next();
                if (!f.startsWith("[\"_rpc\"")) frames.add(f);
            }
            assertEquals(List.of("[\"said\",\"e1\"]", "[\"said\",\"e2\"]", "[\"said\",\"e3\"]"), frames.subList(0, 3));
            JsonObject gap = JsonParser.parseString(frames.get(3)).getAsJsonArray().get(1).getAsJsonObject();
            assertEquals("_error", JsonParser.parseString(frames.get(3)).getAsJsonArray().get(0).getAsString());
            assertEquals("EVENTS_LOST", gap.get("code").getAsString());
            assertEquals(3, gap.get("lost").getAsInt());
            assertEquals("REDIS_OUTBOX_FULL", gap.get("reason").getAsString());
        }
        ann.send("[\"say\",\"after\"]");
        assertEquals(List.of("after"), said(ann, 1));
        ann.close();
        bob.close();
    }

    @Test
    void aRedisThatComesBackEmptyGetsEveryMemberAndItsStateBackFromTheNodes() throws Exception {
        redis = RedisServer.start(false);
        nodes = new Nodes("cluster", 2, redis, temp);
        WsClient ann = nodes.connect(0, "/room/empty");
        WsClient bob = nodes.connect(1, "/room/empty");
        assertEquals("[\"_rpc\",true,1]", ann.call("[\"nick\",\"ann\",1]"));
        assertEquals("[\"_rpc\",true,1]", bob.call("[\"nick\",\"bob\",1]"));
        Await.until("each sees the other", () -> ann.call("[\"members\",null,2]").contains("\"bob\"")
                && bob.call("[\"members\",null,2]").contains("\"ann\""));

        redis.kill();
        Await.until("both nodes know Redis is down", () -> !nodes.node(0).cluster().redisUp() && !nodes.node(1).cluster().redisUp());
        redis.restart();   // without persistence: no member, no state, no stream
        Await.until("both nodes are back", () -> nodes.node(0).cluster().redisUp() && nodes.node(1).cluster().redisUp());
        Await.until("Redis has both members again", () -> hlen(membersKey("room.ws", "empty")) == 2);
        WsClient cid = nodes.connect(1, "/room/empty");
        Await.until("a new member on the other node sees ann with her state", () -> cid.call("[\"members\",null,3]").contains("\"nick\":\"ann\""));
        assertEquals(3, hlen(membersKey("room.ws", "empty")), "ann, bob and cid");
        assertEquals(3, hlen(statesKey("room.ws", "empty")), "and a state for each");
        cid.close();
        ann.close();
        bob.close();
    }

    private int hlen(String key) {
        try {
            return Integer.parseInt(redis.command("HLEN", key).substring(1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String membersKey(String controller, String key) {
        return groupKey(controller, key) + ":m";
    }

    private static String statesKey(String controller, String key) {
        return groupKey(controller, key) + ":v";
    }

    private static String groupKey(String controller, String key) {
        String id = controller + "\0" + key;
        return "workjs:{" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "}";
    }

    private static JsonObject error(String reply) {
        JsonArray frame = JsonParser.parseString(reply).getAsJsonArray();
        return frame.get(3).getAsJsonObject();
    }

    private static int count(String reply) {
        return JsonParser.parseString(reply).getAsJsonArray().get(1).getAsJsonArray().size();
    }

    /** The params of the next {@code n} "said" events; any other frame but a reply fails the test. */
    private static List<String> said(WsClient m, int n) {
        List<String> events = new ArrayList<>();
        while (events.size() < n) {
            String text = m.next();
            JsonArray frame = JsonParser.parseString(text).getAsJsonArray();
            String name = frame.get(0).getAsString();
            if (name.equals("_rpc") || name.equals("left")) continue;
            assertEquals("said", name, "unexpected frame " + text);
            events.add(frame.get(1).getAsString());
        }
        return events;
    }
}
