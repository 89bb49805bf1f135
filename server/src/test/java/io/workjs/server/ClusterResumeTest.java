package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.support.Await;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.RunningCluster;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client whose connection drops comes back through the load balancer to another node while
 * its own is alive: that node hands the connection over, and it goes on there as the same
 * {@code this}, with every group event once and in order, and what the client sent resent once.
 */
@Timeout(120)
class ClusterResumeTest {
    @RegisterExtension
    static final RunningCluster cluster = new RunningCluster("cluster", 2);
    static Nodes nodes;

    @BeforeAll
    static void start() {
        nodes = cluster.nodes();
    }

    @Test
    void aConnectionResumedOnAnotherLiveNodeIsHandedOverWithEveryEventOnce() throws Exception {
        String cookie = nodes.sessionCookie(0, "/room/move");
        ResumeClient c = ResumeClient.connect(nodes.node(0).url(), "/room/move", "Cookie", cookie);
        WsClient d = nodes.connect(1, "/room/move");
        assertTrue(c.call("nick", "\"cat\"").get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",true,"));
        JsonObject before = result(c.call("whoami", "null").get(10, TimeUnit.SECONDS));
        assertEquals("[\"_rpc\",true,1]", d.call("[\"nick\",\"dog\",1]"));
        Await.until("d sees cat", () -> d.call("[\"members\",null,2]").contains("\"cat\""));
        d.send("[\"say\",\"e0\"]");
        String e0 = c.next();
        assertTrue(e0.matches("\\[\"said\",\"e0\",\"[0-9]+-[0-9]+\"]"), "an event on a cluster carries its position: " + e0);

        c.reconnect(false);
        c.abandon();
        Await.until("node 1 noticed the drop", () -> nodes.node(0).connections() == 0);
        for (int i = 1; i <= 3; i++) d.send("[\"say\",\"e" + i + "\"]");
        c.moveTo(nodes.node(1).url());
        c.reconnect(true);
        ResumeClient.Welcome w = c.awaitWelcome();
        assertTrue(w.resumed() && w.moved(), "resumed, on another node: " + w);
        assertNull(w.lost(), "its node is alive: nothing is lost");

        List<String> said = new ArrayList<>();
        while (said.size() < 3) said.add(JsonParser.parseString(c.next()).getAsJsonArray().get(1).getAsString());
        assertEquals(List.of("e1", "e2", "e3"), said, "what it missed, once, in order");
        JsonObject after = result(c.call("whoami", "null").get(10, TimeUnit.SECONDS));
        assertEquals(before.get("id"), after.get("id"), "the same connection");
        assertEquals("cat", after.get("nick").getAsString(), "its this as of its last call");
        assertEquals("move", after.get("room").getAsString(), "in the same group");
        d.send("[\"say\",\"e4\"]");
        assertEquals("e4", JsonParser.parseString(c.next()).getAsJsonArray().get(1).getAsString());
        assertNull(c.messages.poll(300, TimeUnit.MILLISECONDS), "nothing twice: " + c.messages);
        List<String> dFrames = new ArrayList<>();
        for (String f; (f = d.poll(300)) != null; ) dFrames.add(f);
        assertFalse(dFrames.stream().anyMatch(f -> f.startsWith("[\"left\"")), "no exit() for a connection that moved: " + dFrames);
        assertTrue(d.call("[\"members\",null,3]").contains("\"cat\""), "still a member for the others");
        c.close();
        d.close();
    }

    @Test
    void aConnectionWhoseSessionWasRegeneratedMovesToAnotherNodeWithTheNewCookieAndKeepsItsData() throws Exception {
        String old = nodes.sessionCookie(0, "/room/renew");
        ResumeClient c = ResumeClient.connect(nodes.node(0).url(), "/room/renew", "Cookie", old);
        assertTrue(c.call("put", "{\"key\":\"user_id\",\"value\":21}").get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",true,"));
        assertTrue(c.call("renew", "null").get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",true,"));
        String ticket = com.google.gson.JsonParser.parseString(c.next()).getAsJsonArray().get(1).getAsJsonObject().get("ticket").getAsString();
        String renewed = nodes.post(0, "/_workjs/session", ticket, "Cookie", old).headers().firstValue("set-cookie").orElseThrow().split(";")[0];

        c.reconnect(false);
        c.abandon();
        c.headers("Cookie", renewed);
        c.moveTo(nodes.node(1).url());
        c.reconnect(true);
        ResumeClient.Welcome w = c.awaitWelcome();
        assertTrue(w.resumed() && w.moved(), w.toString());
        assertEquals("[\"_rpc\",21,", c.call("read", "\"user_id\"").get(10, TimeUnit.SECONDS).substring(0, 11),
                "the moved connection's this.sess is the new session");
        c.close();
    }

    @Test
    void aCallSentWhileTheSocketWasDownRunsOnceOnTheNodeItMovedTo() throws Exception {
        ResumeClient c = ResumeClient.connect(nodes.node(0).url(), "/room/calls");
        assertTrue(c.call("nick", "\"owl\"").get(10, TimeUnit.SECONDS).startsWith("[\"_rpc\",true,"));
        c.reconnect(false);
        c.abandon();
        var pending = c.call("nick", "\"hawk\"");   // kept, and sent once the connection is back
        c.moveTo(nodes.node(1).url());
        c.reconnect(true);
        assertTrue(c.awaitWelcome().moved());
        assertTrue(pending.get(10, TimeUnit.SECONDS).contains("true"), "answered by the node it moved to");
        assertEquals("hawk", result(c.call("whoami", "null").get(10, TimeUnit.SECONDS)).get("nick").getAsString());
        c.close();
    }

    private static JsonObject result(String reply) {
        return JsonParser.parseString(reply).getAsJsonArray().get(1).getAsJsonObject();
    }
}
