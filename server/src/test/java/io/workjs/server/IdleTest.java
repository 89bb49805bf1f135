package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.config.Limits;
import io.workjs.server.support.Await;
import io.workjs.server.support.RawWs;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server pings every second here; a peer silent for a second after a ping is closed. */
@Timeout(60)
class IdleTest {
    static final Limits LIMITS = Limits.DEFAULTS.with(Limits.PING_INTERVAL, 1).with(Limits.PING_TIMEOUT, 1);

    @RegisterExtension
    static final RunningSite site = new RunningSite("bounds", LIMITS);

    @Test
    void peerThatNeverAnswersAPingIsClosedAndItsExitRuns() throws Exception {
        long start = System.nanoTime();
        try (RawWs silent = RawWs.connect(site.server().port(), "/room/silent")) {
            RawWs.Frame first = silent.read();
            assertEquals(9, first.opcode(), "the server pings first");
            RawWs.Frame close = silent.awaitClose();
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1001, close.closeCode());
            assertEquals("no answer to ping", close.text());
            assertTrue(took >= 1500 && took < 6000, "closed after " + took + " ms");
            assertEquals(null, silent.read(), "the socket is closed after the close frame");
        }
        Await.until("exit() of the silent peer ran", () -> exitsIn("silent") == 1);
    }

    @Test
    void peerThatNeverAnswersTheServersCloseFrameIsEndedAfterThePingTimeout() throws Exception {
        try (RawWs mute = RawWs.connect(site.server().port(), "/room/mute")) {
            mute.send(2, new byte[] {1});   // binary: the server closes with 1003 and waits for the answer
            RawWs.Frame close = mute.awaitClose();
            assertEquals(1003, close.closeCode());
            long start = System.nanoTime();
            assertEquals(null, mute.read(), "the socket ends with no answer from the client");
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(took >= 500 && took < 5000, "ended after " + took + " ms");
        }
    }

    @Test
    void peerThatAnswersPingsStaysOpen() throws Exception {
        try (WsClient ws = site.connect("/room/alive")) {   // the JDK client answers pings itself
            Thread.sleep(3500);
            assertFalse(ws.isClosed());
            assertEquals("[\"_rpc\",1,1]", ws.call("[\"echo\",1,1]"));
        }
    }

    private static int exitsIn(String room) {
        try (WsClient ws = site.connect("/room/count")) {
            String reply = ws.call("[\"exitsIn\",\"" + room + "\",1]");
            return Integer.parseInt(reply.substring("[\"_rpc\",".length(), reply.lastIndexOf(',')));
        }
    }
}
