package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Await;
import io.workjs.server.support.NodeProcess;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.RedisServer;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL: its members that do not come back leave their groups everywhere
 * within resumeWindowSeconds + 15 s, their exit() runs exactly once on a surviving node, and
 * the node restarted under its name rejoins.
 */
@Timeout(180)
class ClusterNodeDeathIT {
    static final int WINDOW = 3;
    /** The bound docs/CLUSTER.md states: the window, plus the sign of life's 5 s, plus margin. */
    static final long GONE_WITHIN_MILLIS = (WINDOW + 15) * 1000L;

    @TempDir
    Path temp;
    RedisServer redis;
    Nodes survivors;
    final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(NodeProcess::close);
        if (survivors != null) survivors.close();
        if (redis != null) redis.close();
    }

    @Test
    void aKilledNodesMembersLeaveEverywhereTheirExitRunsOnceAndTheNodeRejoins() throws Exception {
        Path site = cluster(2);
        NodeProcess a = start(site);

        WsClient x = WsClient.connect(a.url(), "/room/death");
        WsClient y = survivors.connect(0, "/room/death");
        WsClient z = survivors.connect(1, "/room/death");
        assertEquals("[\"_rpc\",true,1]", x.call("[\"nick\",\"x\",1]"));
        assertEquals("[\"_rpc\",true,1]", y.call("[\"nick\",\"y\",1]"));
        assertEquals("[\"_rpc\",true,1]", z.call("[\"nick\",\"z\",1]"));
        List<String> yEvents = new ArrayList<>();
        List<String> zEvents = new ArrayList<>();
        Await.until("all three see each other", () -> members(y, yEvents).size() == 3 && members(z, zEvents).size() == 3);
        String xId = members(y, yEvents).asList().stream().filter(m -> m.getAsJsonObject().get("nick").getAsString().equals("x"))
                .findFirst().orElseThrow().getAsJsonObject().get("id").getAsString();

        long killed = System.nanoTime();
        a.kill();
        awaitWithin("y sees x gone", () -> members(y, yEvents).size() == 2);
        long goneMillis = (System.nanoTime() - killed) / 1_000_000;
        awaitWithin("z sees x gone", () -> members(z, zEvents).size() == 2);
        String left = "[\"left\",\"" + xId + "\"]";
        awaitWithin("x's exit() emitted", () -> drain(y, yEvents).contains(left) && drain(z, zEvents).contains(left));
        System.out.println("cluster: a killed node's member was gone for the others " + goneMillis + " ms after SIGKILL"
                + " (resumeWindowSeconds " + WINDOW + ", bound " + GONE_WITHIN_MILLIS + " ms)");
        assertTrue(goneMillis <= GONE_WITHIN_MILLIS, "gone within the bound: " + goneMillis + " ms");
        assertTrue(goneMillis >= WINDOW * 1000L, "not before the window is over: " + goneMillis + " ms");
        Thread.sleep(2000);   // the other survivor's chance to run exit() a second time, if the claim were wrong
        assertEquals(1, drain(y, yEvents).stream().filter(left::equals).count(), "exit() ran exactly once: " + yEvents);
        assertEquals(1, drain(z, zEvents).stream().filter(left::equals).count(), "exit() ran exactly once: " + zEvents);

        NodeProcess again = start(site);
        WsClient w = WsClient.connect(again.url(), "/room/death");
        assertEquals("[\"_rpc\",true,1]", w.call("[\"nick\",\"w\",1]"));
        List<String> wEvents = new ArrayList<>();
        Await.until("the restarted node's member sees the others, and no ghost of x",
                () -> members(w, wEvents).size() == 3 && members(y, yEvents).size() == 3);
        assertTrue(again.log().contains("cluster: node a on Redis at"), again.log());
    }

    @Test
    void aClientOfAKilledNodeResumesOnAnotherWithItsThisAndEveryGroupEventOnce() throws Exception {
        Path site = cluster(1);
        NodeProcess a = start(site);

        ResumeClient x = ResumeClient.connect(a.url(), "/room/phoenix");
        WsClient y = survivors.connect(0, "/room/phoenix");
        assertTrue(x.call("nick", "\"x\"").get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",true,"));
        String xId = JsonParser.parseString(x.call("whoami", "null").get(10, TimeUnit.SECONDS)).getAsJsonArray().get(1)
                .getAsJsonObject().get("id").getAsString();
        List<String> yEvents = new ArrayList<>();
        Await.until("y sees x", () -> members(y, yEvents).size() == 2);
        y.send("[\"say\",\"before\"]");
        assertTrue(x.messages.poll(10, TimeUnit.SECONDS).startsWith("[\"said\",\"before\","));

        x.reconnect(false);
        a.kill();
        var inFlight = x.call("nick", "\"lost?\"");
        for (int i = 1; i <= 3; i++) y.send("[\"say\",\"e" + i + "\"]");
        x.moveTo(survivors.node(0).url());
        x.reconnect(true);
        ResumeClient.Welcome w = x.awaitWelcome();
        assertTrue(w.resumed() && w.moved(), "resumed on the survivor: " + w);
        assertEquals("NODE_LOST", w.lost(), "told that what only the dead node had may be lost");
        assertTrue(inFlight.isCompletedExceptionally(), "a call on the wire may or may not have run: DISCONNECTED");

        List<String> said = new ArrayList<>();
        while (said.size() < 3) said.add(JsonParser.parseString(x.messages.poll(10, TimeUnit.SECONDS)).getAsJsonArray().get(1).getAsString());
        assertEquals(List.of("e1", "e2", "e3"), said, "every group event emitted meanwhile, once, in order");
        var me = JsonParser.parseString(x.call("whoami", "null").get(10, TimeUnit.SECONDS)).getAsJsonArray().get(1).getAsJsonObject();
        assertEquals(xId, me.get("id").getAsString(), "the same connection");
        assertEquals("x", me.get("nick").getAsString(), "its this as of its last completed call");
        long deadline = System.nanoTime() + (WINDOW + 8) * 1_000_000_000L;
        while (System.nanoTime() < deadline) drain(y, yEvents);   // the window passes: nobody lets x go, it is here
        assertTrue(yEvents.stream().noneMatch(f -> f.equals("[\"left\",\"" + xId + "\"]")), "no exit() for x: " + yEvents);
        assertEquals(2, members(y, yEvents).size(), "x is still in the room");
        x.close();
    }

    /** Redis, {@code survivorCount} nodes in this JVM, and the site for node "a" (a process of its own): all with the short window. */
    private Path cluster(int survivorCount) throws java.io.IOException {
        redis = RedisServer.start();
        survivors = new Nodes("cluster", survivorCount, redis, temp.resolve("survivors"),
                c -> c.withLimits(c.limits().with(Limits.RESUME_WINDOW, WINDOW)));
        Path site = TestSite.copy("cluster", temp.resolve("a"));
        Files.writeString(site.resolve("CONF"), "{\"resumeWindowSeconds\": " + WINDOW + "}");
        return site;
    }

    private NodeProcess start(Path site) {
        NodeProcess p = NodeProcess.start(temp.resolve("data-" + processes.size()), "--redis", redis.url(), "--node-name", "a", site.toString());
        processes.add(p);
        return p;
    }

    private static void awaitWithin(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + GONE_WITHIN_MILLIS * 1_000_000L + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The members as {@code members()} returns them, keeping the events that came before the reply. */
    private static JsonArray members(WsClient client, List<String> events) {
        client.send("[\"members\",null,9]");
        while (true) {
            String frame = client.next();
            if (frame.startsWith("[\"_rpc\"")) {
                JsonElement result = JsonParser.parseString(frame).getAsJsonArray().get(1);
                return result.getAsJsonArray();
            }
            events.add(frame);
        }
    }

    /** Takes every frame that has arrived into {@code events}; returns them. */
    private static List<String> drain(WsClient client, List<String> events) {
        try {
            for (String f; (f = client.poll(50)) != null; ) events.add(f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return events;
    }
}
