package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Await;
import io.workjs.server.support.Nginx;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.RunningCluster;
import io.workjs.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes behind nginx, round robin and no sticky sessions, as docs/DEPLOYMENT.md sets them up: one site to a visitor. */
@Timeout(120)
class ClusterBehindNginxTest {
    @RegisterExtension
    static final RunningCluster cluster = new RunningCluster("cluster", 2).behindNginx();
    static Nodes nodes;
    static Nginx nginx;

    @BeforeAll
    static void start() {
        nodes = cluster.nodes();
        nginx = cluster.nginx();
    }

    @Test
    void aVisitorsConnectionsLandOnBothNodesAndShareTheRoomAndTheSession() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nginx.url() + "/room/lb")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        List<WsClient> tabs = new ArrayList<>();
        for (int i = 0; i < 4; i++) tabs.add(WsClient.connect(nginx.url(), "/room/lb", "Cookie", cookie));
        assertTrue(nodes.node(0).connections() > 0 && nodes.node(1).connections() > 0,
                "round robin spreads the connections: " + nodes.node(0).connections() + " and " + nodes.node(1).connections());
        for (WsClient t : tabs) assertEquals("[\"_rpc\",true,1]", t.call("[\"nick\",\"tab\",1]"));
        Await.until("every tab sees all four", () -> tabs.stream().allMatch(t -> t.call("[\"members\",null,2]").split("\"tab\"").length == 5));

        assertEquals("[\"_rpc\",true,3]", tabs.get(0).call("[\"put\",{\"key\":\"theme\",\"value\":\"dark\"},3]"));
        for (WsClient t : tabs) {
            Await.until("the session write seen by every tab", () -> t.call("[\"read\",\"theme\",4]").equals("[\"_rpc\",\"dark\",4]"));
        }
        tabs.get(1).send("[\"say\",\"hello\"]");
        for (WsClient t : tabs) {
            String frame;
            do frame = t.next(); while (frame.startsWith("[\"_rpc\""));
            assertEquals("[\"said\",\"hello\"]", frame);
        }
        tabs.forEach(WsClient::close);
    }
}
