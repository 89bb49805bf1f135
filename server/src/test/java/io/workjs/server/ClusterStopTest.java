package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** A node that stops gracefully says goodbye: its members leave their groups everywhere at once, and nobody lets them go again later. */
@Timeout(60)
class ClusterStopTest {
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
    void aStoppedNodesMembersLeaveAtOnceAndTheirExitRunsOnce() throws Exception {
        redis = RedisServer.start();
        nodes = new Nodes("cluster", 2, redis, temp);
        WsClient leaving = nodes.connect(0, "/room/bye");
        WsClient staying = nodes.connect(1, "/room/bye");
        assertEquals("[\"_rpc\",true,1]", leaving.call("[\"nick\",\"l\",1]"));
        assertEquals("[\"_rpc\",true,1]", staying.call("[\"nick\",\"s\",1]"));
        Await.until("both in the room", () -> staying.call("[\"members\",null,2]").contains("\"l\""));

        long stopping = System.nanoTime();
        nodes.node(0).stop();
        List<String> frames = new ArrayList<>();
        Await.until("the stopped node's member gone for the other", () -> {
            staying.send("[\"members\",null,3]");
            for (String f = staying.next(); ; f = staying.next()) {
                if (f.startsWith("[\"_rpc\"")) return !f.contains("\"l\"");
                frames.add(f);
            }
        });
        long goneMillis = (System.nanoTime() - stopping) / 1_000_000;
        assertTrue(goneMillis < 3000, "gone at once, not after the resume window: " + goneMillis + " ms");
        assertEquals(1, frames.stream().filter(f -> f.startsWith("[\"left\"")).count(), "exit() ran once, on the stopping node: " + frames);
        assertEquals(":1", redis.command("HLEN", "workjs:runs"), "the stopped node's run is gone: no node will let its members go again");
        staying.close();
    }
}
