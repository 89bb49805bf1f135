package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.workjs.server.support.Http;
import io.workjs.server.support.Await;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.RedisServer;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations on a cluster: a drained node's clients resume on the other node with nothing lost,
 * and a node is not ready while Redis is unreachable (docs/OPERATIONS.md).
 */
@Timeout(120)
class ClusterDrainTest {

    @TempDir
    Path temp;
    RedisServer redis;
    Nodes nodes;

    @AfterEach
    void stop() {
        if (nodes != null) nodes.close();
        if (redis != null) redis.close();
    }

    private static int ready(WorkServer node) {
        return Http.get("http://127.0.0.1:" + node.adminPort() + "/ready").statusCode();
    }

    @Test
    void aDrainedNodesClientsResumeOnTheOtherNodeWithEveryEventOnce() throws Exception {
        redis = RedisServer.start();
        nodes = new Nodes("cluster", 2, redis, temp, c -> c.withOps(c.ops().withDrainSeconds(4).withAdminPort(0)));
        String cookie = nodes.sessionCookie(0, "/room/drain");
        List<ResumeClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ResumeClient c = ResumeClient.connect(nodes.node(0).url(), "/room/drain", "Cookie", cookie);
            assertTrue(c.call("nick", "\"c" + i + "\"").get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",true,"));
            c.moveTo(nodes.node(1).url());   // where the load balancer sends its next socket
            clients.add(c);
        }
        WsClient speaker = nodes.connect(1, "/room/drain");
        Await.until("the speaker sees all three", () -> count(speaker.call("[\"members\",null,1]")) == 4);

        CompletableFuture<Void> drained = CompletableFuture.runAsync(nodes.node(0)::drain);
        for (int i = 0; i < 20; i++) speaker.send("[\"say\",\"e" + i + "\"]");   // while its members move
        for (ResumeClient c : clients) {
            ResumeClient.Welcome w = c.awaitWelcome();
            assertTrue(w.resumed() && w.moved(), "resumed on the other node: " + w);
            assertNull(w.lost(), "the drained node was alive to hand it over: nothing lost");
        }
        drained.get(10, TimeUnit.SECONDS);
        assertEquals(0, nodes.node(0).connections(), "the drained node has no socket left");
        for (ResumeClient c : clients) {
            List<String> said = new ArrayList<>();
            while (said.size() < 20) {
                String m = c.next();
                if (m.startsWith("[\"said\"")) said.add(JsonParser.parseString(m).getAsJsonArray().get(1).getAsString());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) expected.add("e" + i);
            assertEquals(expected, said, "every event once, in order, across the move");
            assertTrue(c.call("whoami", "null").get(10, TimeUnit.SECONDS).contains("\"nick\":\"c"), "the same this, as of its last call");
        }
        for (ResumeClient c : clients) c.close();
        speaker.close();
    }

    @Test
    void aNodeIsNotReadyWhileRedisIsUnreachable() {
        redis = RedisServer.start();
        nodes = new Nodes("cluster", 1, redis, temp, c -> c.withOps(c.ops().withAdminPort(0)));
        WorkServer node = nodes.node(0);
        assertEquals(200, ready(node));
        redis.kill();
        Await.until("not ready while Redis is down", () -> ready(node) == 503);
        redis.restart();
        Await.until("ready once Redis is back", () -> ready(node) == 200);
    }

    private static int count(String membersReply) {
        return JsonParser.parseString(membersReply).getAsJsonArray().get(1).getAsJsonArray().size();
    }
}
