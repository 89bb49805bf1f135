package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.Limits;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What one frame or one call may cost: nesting, name length, calls per second, time on the loop. */
@Timeout(60)
class CallBoundsTest {
    static final Limits LIMITS = Limits.DEFAULTS.with(RuntimeLimits.CALLS_PER_SECOND, 5).with(RuntimeLimits.CALL_BURST, 5)
            .with(RuntimeLimits.CALL_TIMEOUT, 300);

    @RegisterExtension
    static final RunningSite site = new RunningSite("bounds", LIMITS);

    private static String error(int seq, String code, String message) {
        return "[\"_rpc\",null," + seq + ",{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]";
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void frameNestedDeeperThanTheLimitIsRefusedUnparsed() {
        try (WsClient ws = site.connect("/room/deep")) {
            assertEquals("[\"_rpc\"," + nested(31) + ",1]", ws.call("[\"echo\"," + nested(31) + ",1]"));
            assertEquals("[\"_error\",{\"code\":\"TOO_DEEP\",\"message\":\"frame nests deeper than 32 levels\"}]",
                    ws.call("[\"echo\"," + nested(32) + ",2]"));
            assertEquals("[\"_error\",{\"code\":\"TOO_DEEP\",\"message\":\"frame nests deeper than 32 levels\"}]",
                    ws.call("[".repeat(100_000)));
            assertEquals("[\"_rpc\",3,3]", ws.call("[\"echo\",3,3]"));
        }
    }

    @Test
    void nameLongerThanTheLimitIsABadFrameThatDoesNotEchoIt() {
        try (WsClient ws = site.connect("/room/name")) {
            assertEquals(error(1, "BAD_FRAME", "the function name is longer than 128 characters"),
                    ws.call("[\"" + "e".repeat(129) + "\",null,1]"));
        }
    }

    @Test
    void callsPastTheBurstAreRateLimitedAndAFloodIsClosed() {
        try (WsClient ws = site.connect("/room/rate")) {
            for (int i = 1; i <= 5; i++) ws.send("[\"echo\"," + i + "," + i + "]");
            for (int i = 1; i <= 5; i++) assertEquals("[\"_rpc\"," + i + "," + i + "]", ws.next());
            assertEquals(error(6, "RATE_LIMITED", "more than 5 calls per second: slow down"), ws.call("[\"echo\",6,6]"));
            for (int i = 0; i < 50 && ws.trySend("[\"echo\",0]"); i++) {
                // keeps going after being told to slow down
            }
            assertEquals(new WsClient.Close(1008, "too many calls"), ws.awaitClose());
        }
    }

    @Test
    void bucketRefillsAtTheRateSoACallerThatWaitsIsServedAgain() throws Exception {
        try (WsClient ws = site.connect("/room/refill")) {
            for (int i = 1; i <= 5; i++) ws.send("[\"echo\"," + i + "," + i + "]");
            for (int i = 1; i <= 5; i++) ws.next();
            assertEquals(error(6, "RATE_LIMITED", "more than 5 calls per second: slow down"), ws.call("[\"echo\",6,6]"));
            Thread.sleep(1100);   // 5 calls per second: the bucket is full again
            for (int i = 7; i <= 11; i++) assertEquals("[\"_rpc\"," + i + "," + i + "]", ws.call("[\"echo\"," + i + "," + i + "]"));
        }
    }

    @Test
    void exitRunningPastTheTimeoutIsStoppedAndLogged() {
        try (LogCapture log = new LogCapture()) {
            site.connect("/slowexit").close();
            log.await("exit() ran longer than 300 ms and was stopped");
            try (WsClient ws = site.connect("/room/afterexit")) {
                assertEquals("[\"_rpc\",1,1]", ws.call("[\"echo\",1,1]"));
            }
        }
    }

    @Test
    void callRunningPastTheTimeoutIsStoppedAndTheLoopGoesOn() {
        try (WsClient a = site.connect("/room/spin"); WsClient b = site.connect("/room/spin")) {
            assertEquals(error(1, "TIMEOUT", "spin() ran longer than 300 ms and was stopped"), a.call("[\"spin\",null,1]"));
            assertEquals("[\"_rpc\",\"b\",2]", b.call("[\"echo\",\"b\",2]"));
            assertEquals("[\"_rpc\",\"a\",3]", a.call("[\"echo\",\"a\",3]"));
        }
    }

    @Test
    void anAsyncCallStoppedAfterItsAwaitIsAnsweredWithTimeout() {
        try (WsClient a = site.connect("/room/async"); WsClient b = site.connect("/room/async")) {
            a.send("[\"spinAfterAwait\",0,1]");   // settles at once: not the one stopped
            assertEquals("[\"_rpc\",0,1]", a.next());
            assertEquals(error(2, "TIMEOUT", "spinAfterAwait() ran longer than 300 ms and was stopped"),
                    a.call("[\"spinAfterAwait\",1,2]"));
            assertEquals(error(3, "TIMEOUT", "spinInHelper() ran longer than 300 ms and was stopped"),
                    b.call("[\"spinInHelper\",null,3]"), "found through the helper's caller on the stack");
            assertEquals("[\"_rpc\",\"a\",4]", a.call("[\"echo\",\"a\",4]"), "the loop goes on");
        }
    }

    @Test
    void aPromiseCallbackOrTimerWrittenInsideTheCallAndStoppedAnswersItWithTimeout() {
        try (WsClient a = site.connect("/room/then")) {
            assertEquals(error(1, "TIMEOUT", "spinInThen() ran longer than 300 ms and was stopped"), a.call("[\"spinInThen\",null,1]"));
            assertEquals(error(2, "TIMEOUT", "spinInTimerItAwaits() ran longer than 300 ms and was stopped"),
                    a.call("[\"spinInTimerItAwaits\",null,2]"));
            assertEquals("[\"_rpc\",\"a\",3]", a.call("[\"echo\",\"a\",3]"), "the loop goes on");
        }
    }

    @Test
    void timerCallbackRunningPastTheTimeoutIsStopped() throws Exception {
        try (WsClient ws = site.connect("/room/timer")) {
            assertEquals("[\"_rpc\",true,1]", ws.call("[\"spinLater\",null,1]"));
            Thread.sleep(400);   // the timer is spinning now, or already stopped
            assertEquals("[\"_rpc\",2,2]", ws.call("[\"echo\",2,2]"));
        }
    }

    @Test
    void initRunningPastTheTimeoutClosesWith1011() {
        try (WsClient ws = site.connect("/slowinit")) {
            assertEquals(new WsClient.Close(1011, "init() timed out"), ws.awaitClose());
        }
        try (WsClient ws = site.connect("/room/after")) {
            assertEquals("[\"_rpc\",1,1]", ws.call("[\"echo\",1,1]"));
        }
    }
}
