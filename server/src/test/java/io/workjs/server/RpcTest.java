package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.LogCapture;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Calls from a client to controller functions, and every way one can fail. */
@Timeout(60)
class RpcTest {
    @RegisterExtension
    static final RunningSite site = new RunningSite("basic");
    static final java.util.concurrent.atomic.AtomicInteger rooms = new java.util.concurrent.atomic.AtomicInteger();

    /** A connection alone in a room of its own: no other test's join or leave event can reach it. */
    private static WsClient connect() {
        return site.connect("/chat/rpc-" + rooms.incrementAndGet());
    }

    private static String error(int seq, String code, String message) {
        return "[\"_rpc\",null," + seq + ",{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]";
    }

    @Test
    void callWithSeqGetsResultInTheOriginalFormat() {
        try (WsClient ws = connect()) {
            assertEquals("[\"_rpc\",{\"a\":[1,2,\"x\"]},1]", ws.call("[\"echo\",{\"a\":[1,2,\"x\"]},1]"));
        }
    }

    @Test
    void callWithoutSeqIsRunButNotAnswered() throws Exception {
        try (WsClient ws = connect()) {
            ws.send("[\"remember\",\"kept\"]");
            assertEquals("[\"_rpc\",\"kept\",2]", ws.call("[\"recall\",null,2]"));
        }
    }

    @Test
    void stringSeqIsEchoedAsGiven() {
        try (WsClient ws = connect()) {
            assertEquals("[\"_rpc\",5,\"a-1\"]", ws.call("[\"echo\",5,\"a-1\"]"));
        }
    }

    @Test
    void promiseResultIsSentWhenItSettles() {
        try (WsClient ws = connect()) {
            assertEquals("[\"_rpc\",\"soon\",3]", ws.call("[\"later\",\"soon\",3]"));
        }
    }

    @Test
    void undefinedResultBecomesNull() {
        try (WsClient ws = connect()) {
            assertEquals("[\"_rpc\",null,3]", ws.call("[\"nothing\",null,3]"));
        }
    }

    @Test
    void unknownFunctionIsAnErrorReply() {
        try (WsClient ws = connect()) {
            assertEquals(error(4, "NO_SUCH_FUNCTION", "no callable function \\\"nope\\\" in chat.ws"), ws.call("[\"nope\",null,4]"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"init", "exit", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf",
        "isPrototypeOf", "__defineGetter__", "notAFunction", "emit", "sendJSON"})
    void lifecyclePrototypeAndNonFunctionNamesAreNotCallable(String name) {
        try (WsClient ws = connect()) {
            assertEquals(error(9, "NO_SUCH_FUNCTION", "no callable function \\\"" + name + "\\\" in chat.ws"),
                    ws.call("[\"" + name + "\",null,9]"));
        }
    }

    @Test
    void throwIsAnErrorReplyWithItsMessageAndIsLoggedWithFileAndLine() {
        try (LogCapture log = new LogCapture(); WsClient ws = connect()) {
            assertEquals(error(5, "CALL_FAILED", "failed: x"), ws.call("[\"fails\",\"x\",5]"));
            assertTrue(log.await("fails() failed").contains("chat.ws:"), log.lines().toString());
        }
    }

    @Test
    void rejectionIsAnErrorReply() {
        try (WsClient ws = connect()) {
            assertEquals(error(6, "CALL_FAILED", "rejected: y"), ws.call("[\"rejects\",\"y\",6]"));
        }
    }

    @Test
    void errorCodeSetByTheControllerIsKept() {
        try (WsClient ws = connect()) {
            assertEquals(error(7, "ROOM_FULL", "no room left"), ws.call("[\"failsWithCode\",null,7]"));
        }
    }

    @Test
    void thrownNonErrorIsReportedAsItsValue() {
        try (WsClient ws = connect()) {
            assertEquals(error(8, "CALL_FAILED", "plain string"), ws.call("[\"throwsString\",null,8]"));
        }
    }

    @Test
    void unencodableResultIsAnErrorReply() {
        try (WsClient ws = connect()) {
            assertEquals(error(10, "BAD_RESULT", "cyclic() returned a value that JSON cannot encode"), ws.call("[\"cyclic\",null,10]"));
            assertEquals(error(11, "BAD_RESULT", "big() returned a value that JSON cannot encode"), ws.call("[\"big\",null,11]"));
        }
    }

    @Test
    void failedCallWithoutSeqIsReportedAsAnErrorEvent() {
        try (WsClient ws = connect()) {
            assertEquals("[\"_error\",{\"code\":\"CALL_FAILED\",\"message\":\"failed: z\"}]", ws.call("[\"fails\",\"z\"]"));
            assertEquals("[\"_error\",{\"code\":\"NO_SUCH_FUNCTION\",\"message\":\"no callable function \\\"nope\\\" in chat.ws\"}]",
                    ws.call("[\"nope\",1]"));
        }
    }

    @Test
    void invalidJsonIsReportedAndTheConnectionStaysUsable() {
        try (WsClient ws = connect()) {
            String reply = ws.call("[\"echo\",");
            assertTrue(reply.startsWith("[\"_error\",{\"code\":\"BAD_JSON\",\"message\":\"frame is not valid JSON: "), reply);
            assertEquals("[\"_rpc\",1,1]", ws.call("[\"echo\",1,1]"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "42", "\"echo\"", "null", "[]", "[\"echo\"]", "[\"echo\",1,2,3]"})
    void framesOfTheWrongShapeAreReported(String frame) {
        try (WsClient ws = connect()) {
            assertEquals("[\"_error\",{\"code\":\"BAD_FRAME\",\"message\":\"a frame is [name, param] or [name, param, seq]\"}]", ws.call(frame));
        }
    }

    @Test
    void nameThatIsNotAStringIsAnErrorReply() {
        try (WsClient ws = connect()) {
            assertEquals(error(3, "BAD_FRAME", "the function name must be a string"), ws.call("[7,null,3]"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "true", "{}", "[1]", "1e999"})
    void seqThatIsNotANumberOrStringIsReported(String seq) {
        try (WsClient ws = connect()) {
            assertEquals("[\"_error\",{\"code\":\"BAD_FRAME\",\"message\":\"seq must be a number or a string of at most 64 characters\"}]",
                    ws.call("[\"echo\",1," + seq + "]"));
        }
    }

    @Test
    void binaryFrameClosesWith1003() {
        try (WsClient ws = connect()) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertEquals(new WsClient.Close(1003, "binary frames are not supported: send JSON text"), ws.awaitClose());
        }
    }

    @Test
    void messageOverTheSizeLimitClosesWith1009() {
        try (WsClient ws = connect()) {
            int max = site.server().config().limits().maxMessageBytes();
            ws.send("[\"echo\",\"" + "x".repeat(max) + "\",1]");
            WsClient.Close close = ws.awaitClose();
            assertEquals(1009, close.code());
            assertEquals("UT002040: Message exceeded max message size of " + max, close.reason());
        }
    }

    @Test
    void aMessageInFragmentsWithACharacterSplitBetweenThemArrivesWhole() throws Exception {
        byte[] whole = "[\"echo\",\"aé€b\",1]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int split = "[\"echo\",\"a".length() + 1;   // after the first byte of é
        try (io.workjs.server.support.RawWs raw = io.workjs.server.support.RawWs.connect(site.server().port(), "/chat/fragments")) {
            raw.send(1, java.util.Arrays.copyOfRange(whole, 0, split), false);
            raw.send(0, java.util.Arrays.copyOfRange(whole, split, split + 2), false);   // the rest of é, the first byte of €
            raw.send(0, java.util.Arrays.copyOfRange(whole, split + 2, whole.length), true);
            assertEquals("[\"_rpc\",\"aé€b\",1]", raw.read().text());
        }
    }

    @Test
    void aMessageNearTheSizeLimitThatSpansManyReadsArrivesWhole() {
        try (WsClient ws = connect()) {
            int max = site.server().config().limits().maxMessageBytes();
            String text = "é€".repeat((max - 32) / 5);   // 5 bytes of UTF-8 each pair
            assertEquals("[\"_rpc\",\"" + text + "\",1]", ws.call("[\"echo\",\"" + text + "\",1]"));
        }
    }

    @Test
    void callsOnOneConnectionAreAnsweredInOrder() {
        try (WsClient ws = connect()) {
            for (int i = 0; i < 200; i++) ws.send("[\"echo\"," + i + "," + i + "]");
            for (int i = 0; i < 200; i++) assertEquals("[\"_rpc\"," + i + "," + i + "]", ws.next());
        }
    }
}
