package io.workjs.server;

import static io.workjs.server.LifecycleTest.idOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** emit() reaches the sender's group and only that group; this.group shows its members. */
@Timeout(60)
class GroupTest {
    @RegisterExtension
    static final RunningSite site = new RunningSite("basic");

    @Test
    void emitReachesEveryMemberOfTheGroupTheSenderIncluded() throws Exception {
        try (WsClient a = site.connect("/chat/g1"); WsClient b = site.connect("/chat/g1"); WsClient other = site.connect("/chat/g2")) {
            String id = idOf(a);
            idOf(b);
            a.send("[\"say\",\"hi\"]");
            String event = "[\"said\",{\"from\":\"" + id + "\",\"text\":\"hi\"}]";
            assertEquals(event, a.next());
            assertEquals(event, b.next());
            assertNull(other.poll(200), "a member of another group got the event");
        }
    }

    @Test
    void sameKeyOnAnotherControllerIsAnotherGroup() throws Exception {
        // /files/* runs chat.ws too, with the group key from _location: "g3" is the same group.
        try (WsClient a = site.connect("/chat/g3"); WsClient viaWildcard = site.connect("/files/g3"); WsClient cjs = site.connect("/cjs/g3")) {
            idOf(viaWildcard);
            a.send("[\"say\",\"x\"]");
            a.next();
            assertEquals("said", viaWildcard.next().substring(2, 6));
            assertNull(cjs.poll(200));
        }
    }

    @Test
    void sendJsonReachesOnlyTheCaller() throws Exception {
        try (WsClient a = site.connect("/chat/g4"); WsClient b = site.connect("/chat/g4")) {
            a.send("[\"me\",null,1]");
            assertEquals("{\"only\":\"you\"}", a.next());
            assertEquals("[\"_rpc\",\"sent\",1]", a.next());
            assertNull(b.poll(200));
        }
    }

    @Test
    void thisGroupHoldsEveryMembersThisByConnectionId() {
        try (WsClient a = site.connect("/chat/g5"); WsClient b = site.connect("/chat/g5")) {
            String idA = idOf(a);
            String idB = idOf(b);
            // Frames of two connections have no order between them: wait for each reply.
            a.call("[\"remember\",\"from a\",1]");
            b.call("[\"remember\",\"from b\",1]");
            String expected = Stream.of(new String[] {idA, "from a"}, new String[] {idB, "from b"})
                    .sorted((x, y) -> x[0].compareTo(y[0]))
                    .map(m -> "{\"id\":\"" + m[0] + "\",\"memo\":\"" + m[1] + "\"}")
                    .reduce((x, y) -> x + "," + y).orElseThrow();
            assertEquals("[\"_rpc\",[" + expected + "],2]", b.call("[\"members\",null,2]"));
        }
    }

    @Test
    void eventsReachEachClientInTheOrderTheyWereProduced() {
        try (WsClient a = site.connect("/chat/g6"); WsClient b = site.connect("/chat/g6")) {
            idOf(b);
            // 200 is the default call burst: more frames at once would be refused as RATE_LIMITED.
            for (int i = 0; i < 200; i++) a.send("[\"say\"," + i + "]");
            for (WsClient client : List.of(a, b)) {
                for (int i = 0; i < 200; i++) {
                    String frame = client.next();
                    assertEquals(i, Integer.parseInt(frame.substring(frame.indexOf("\"text\":") + 7, frame.length() - 2)), frame);
                }
            }
        }
    }

    @Test
    void wsObjectSendsRawTextAndReportsItsState() {
        try (WsClient a = site.connect("/chat/g7")) {
            a.send("[\"raw\",null,1]");
            assertEquals("[\"raw\", 1]", a.next());
            assertEquals("[\"_rpc\",1,1]", a.next());
        }
    }
}
