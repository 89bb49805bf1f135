package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.workjs.server.support.Await;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.RunningCluster;
import io.workjs.server.support.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three nodes on one Redis behave as one server: groups, events, this.group and sessions span them. */
@Timeout(120)
class ClusterTest {
    @RegisterExtension
    static final RunningCluster cluster = new RunningCluster("cluster", 3);
    static Nodes nodes;

    @BeforeAll
    static void start() {
        nodes = cluster.nodes();
    }

    @Test
    void everyMemberOnEveryNodeSeesTheGroupsEventsInOneAndTheSameOrder() throws Exception {
        List<WsClient> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) members.add(nodes.connect(i % 3, "/room/order"));
        for (WsClient m : members) assertEquals("[\"_rpc\",true,0]", m.call("[\"nick\",\"x\",0]"));
        Await.until("every member seen by every node", () -> members.stream().allMatch(m -> count(m.call("[\"members\",null,1]")) == 6));
        int perMember = 20;
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            WsClient m = members.get(i);
            int who = i;
            senders.add(Thread.startVirtualThread(() -> {
                for (int k = 0; k < perMember; k++) m.send("[\"say\",\"" + who + "-" + k + "\"]");
            }));
        }
        for (Thread t : senders) t.join();
        List<List<String>> seen = new ArrayList<>();
        for (WsClient m : members) seen.add(said(m, members.size() * perMember));
        for (List<String> s : seen) assertEquals(seen.getFirst(), s, "one order for every member on every node");
        for (int who = 0; who < members.size(); who++) {
            String prefix = who + "-";
            List<String> own = seen.getFirst().stream().filter(e -> e.startsWith(prefix)).toList();
            assertEquals(perMember, own.size(), "each event once");
            for (int k = 0; k < perMember; k++) assertEquals(prefix + k, own.get(k), "a member's events in the order it sent them");
        }
        members.forEach(WsClient::close);
    }

    @Test
    void aMemberOnAnotherNodeIsSeenAsItsStateAfterItsLastCompletedCall() throws Exception {
        WsClient ann = nodes.connect(0, "/room/snap");
        WsClient bob = nodes.connect(1, "/room/snap");
        assertEquals("[\"_rpc\",true,1]", ann.call("[\"nick\",\"ann\",1]"));
        Await.until("bob sees ann's nick", () -> bob.call("[\"members\",null,2]").contains("\"nick\":\"ann\""));
        assertEquals("[\"_rpc\",true,3]", ann.call("[\"nick\",\"anna\",3]"));
        Await.until("bob sees ann's new nick", () -> bob.call("[\"members\",null,4]").contains("\"nick\":\"anna\""));
        ann.close();
        List<String> events = new ArrayList<>();
        Await.until("ann gone for bob", () -> count(reply(bob, "[\"members\",null,5]", events)) == 1);
        Await.until("ann's exit() emitted", () -> events.stream().anyMatch(e -> e.startsWith("[\"left\",")) || poll(bob, events));
        bob.close();
    }

    @Test
    void aFieldWhoseGetterThrowsIsLeftOutOfTheSnapshotAndLaterStatesStillGoOut() {
        WsClient ann = nodes.connect(0, "/room/trap");
        WsClient bob = nodes.connect(1, "/room/trap");
        assertEquals("[\"_rpc\",true,1]", ann.call("[\"trap\",null,1]"));
        assertEquals("[\"_rpc\",true,2]", ann.call("[\"nick\",\"after-trap\",2]"));
        assertEquals("[\"_rpc\",true,3]", bob.call("[\"nick\",\"bob\",3]"));
        Await.until("bob sees ann's nick set after the trap", () -> bob.call("[\"members\",null,4]").contains("\"nick\":\"after-trap\""));
        Await.until("ann sees bob", () -> ann.call("[\"members\",null,5]").contains("\"nick\":\"bob\""));
        ann.close();
        bob.close();
    }

    @Test
    void aBurstOfCallsReachesRedisAsFewerStatesAndTheOtherNodesSeeEachMembersLast() throws Exception {
        int members = 10;
        int calls = 20;
        List<WsClient> burst = new ArrayList<>();
        for (int i = 0; i < members; i++) burst.add(nodes.connect(0, "/room/burst"));
        for (int k = 0; k < calls; k++) {
            for (int i = 0; i < members; i++) burst.get(i).send("[\"nick\",\"m" + i + "-" + k + "\"," + k + "]");
        }
        for (WsClient m : burst) {
            for (int k = 0; k < calls; k++) assertEquals("[\"_rpc\",true," + k + "]", m.next());
        }
        WsClient there = nodes.connect(1, "/room/burst");
        Await.until("every member's last nick seen on another node", () -> {
            String seen = there.call("[\"members\",null,1]");
            for (int i = 0; i < members; i++) if (!seen.contains("\"nick\":\"m" + i + "-" + (calls - 1) + "\"")) return false;
            return true;
        });
        long states = cluster.redis().groupStream("room.ws", "burst").stream().filter(b -> b.startsWith("m\n")).count();
        assertTrue(states < members * calls / 2, states + " state entries for " + members * calls + " calls that changed a state");
        burst.forEach(WsClient::close);
        there.close();
    }

    @Test
    void aVisitorsSessionIsTheSameOnEveryNodeAndItsCookieVerifiesEverywhere() {
        String cookie = nodes.sessionCookie(0, "/room/s");
        WsClient here = nodes.connect(0, "/room/s", "Cookie", cookie);
        WsClient there = nodes.connect(2, "/room/s", "Cookie", cookie);
        assertEquals("[\"_rpc\",null,1]", there.call("[\"read\",\"colour\",1]"));
        assertEquals("[\"_rpc\",true,2]", here.call("[\"put\",{\"key\":\"colour\",\"value\":\"teal\"},2]"));
        long written = System.nanoTime();
        Await.until("the write seen on the other node", () -> there.call("[\"read\",\"colour\",3]").equals("[\"_rpc\",\"teal\",3]"));
        assertTrue(System.nanoTime() - written < 1_000_000_000L, "seen within a second");
        WsClient later = nodes.connect(1, "/room/s", "Cookie", cookie);
        assertEquals("[\"_rpc\",\"teal\",4]", later.call("[\"read\",\"colour\",4]"), "a new connection on a third node loads it");
        here.close();
        there.close();
        later.close();
    }

    @Test
    void aSessionRegeneratedOnOneNodeIsTakenOnAnotherAndTheOldIdIsEmptiedEverywhere() {
        String old = nodes.sessionCookie(0, "/room/r");
        WsClient here = nodes.connect(0, "/room/r", "Cookie", old);
        WsClient there = nodes.connect(2, "/room/r", "Cookie", old);
        assertEquals("[\"_rpc\",true,1]", here.call("[\"put\",{\"key\":\"user_id\",\"value\":11},1]"));
        here.send("[\"renew\",null,2]");
        String signal = here.next();
        assertTrue(signal.startsWith("[\"_session\",{\"ticket\":\""), signal);
        assertEquals("[\"_rpc\",true,2]", here.next());
        String ticket = JsonParser.parseString(signal).getAsJsonArray().get(1).getAsJsonObject().get("ticket").getAsString();

        java.net.http.HttpResponse<String> taken = nodes.post(1, "/_workjs/session", ticket, "Cookie", old);
        assertEquals(204, taken.statusCode(), "the ticket is good on every node");
        String renewed = taken.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        assertEquals(403, nodes.post(2, "/_workjs/session", ticket, "Cookie", old).statusCode(), "and once in the whole cluster");

        WsClient next = nodes.connect(2, "/room/r", "Cookie", renewed);
        assertEquals("[\"_rpc\",11,3]", next.call("[\"read\",\"user_id\",3]"));
        Await.until("the old id emptied on the other node", () -> there.call("[\"read\",\"user_id\",4]").equals("[\"_rpc\",0,4]"));
        assertEquals("[\"_rpc\",11,5]", here.call("[\"read\",\"user_id\",5]"), "the caller keeps its data under the new id");
        here.close();
        there.close();
        next.close();
    }

    /** Sends a call and returns its reply, keeping the events that came before it in {@code events}. */
    private static String reply(WsClient client, String call, List<String> events) {
        client.send(call);
        while (true) {
            String frame = client.next();
            if (frame.startsWith("[\"_rpc\"")) return frame;
            events.add(frame);
        }
    }

    /** Takes one more frame, if one comes within 100 ms, into {@code events}; false (keep waiting). */
    private static boolean poll(WsClient client, List<String> events) {
        try {
            String frame = client.poll(100);
            if (frame != null) events.add(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Test
    void theSizesOfAControllersGroupsCountTheMembersOfEveryNode() {
        WsClient a = nodes.connect(0, "/room/size-a");
        WsClient b = nodes.connect(1, "/room/size-a");
        WsClient c = nodes.connect(2, "/room/size-b");
        Await.until("every node counts both rooms", () -> {
            for (int i = 0; i < 3; i++) {
                try (WsClient probe = nodes.connect(i, "/room/size-probe")) {
                    String sizes = probe.call("[\"rooms\",null,1]");
                    if (!sizes.contains("\"size-a\":2") || !sizes.contains("\"size-b\":1")) return false;
                }
            }
            return true;
        });
        a.close();
        c.close();
        Await.until("a leave on one node counts on another", () -> {
            try (WsClient probe = nodes.connect(2, "/room/size-probe")) {
                String sizes = probe.call("[\"rooms\",null,1]");
                return sizes.contains("\"size-a\":1") && !sizes.contains("size-b");
            }
        });
        b.close();
    }

    private static int count(String reply) {
        return JsonParser.parseString(reply).getAsJsonArray().get(1).getAsJsonArray().size();
    }

    /** The params of the next {@code n} "said" events (skipping replies). */
    private static List<String> said(WsClient m, int n) {
        List<String> events = new ArrayList<>();
        while (events.size() < n) {
            JsonArray frame = JsonParser.parseString(m.next()).getAsJsonArray();
            if (frame.get(0).getAsString().equals("said")) events.add(frame.get(1).getAsString());
        }
        return events;
    }
}
