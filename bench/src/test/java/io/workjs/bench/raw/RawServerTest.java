package io.workjs.bench.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The raw peer keeps the bench handler's contract (bench/README.md), seen by the JDK's own WebSocket client. */
@Timeout(30)
final class RawServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private RawServer server;

    @BeforeEach
    void start() {
        server = RawServer.start(0);
    }

    @AfterEach
    void stop() {
        server.stop();
        http.close();
    }

    @Test
    void echoRepliesWithTheParamAndSeqAsSent() throws Exception {
        Client a = connect("a");
        a.send("[\"echo\",{\"x\":1},7]");
        assertEquals("[\"_rpc\",{\"x\":1},7]", a.next());
        a.send("[\"echo\",\"<a&b>\",\"s-1\"]");
        assertEquals("[\"_rpc\",\"<a&b>\",\"s-1\"]", a.next(), "a string seq is echoed, and nothing is HTML-escaped");
    }

    @Test
    void emitReachesEveryMemberOfTheGroupAndNoOneElse() throws Exception {
        Client a1 = connect("a");
        Client a2 = connect("a");
        Client b = connect("b");
        a1.send("[\"emit\",{\"y\":2},3]");
        assertEquals("[\"ev\",{\"y\":2}]", a1.next(), "the sender is a member too");
        assertEquals("[\"_rpc\",null,3]", a1.next(), "the reply comes after the event");
        assertEquals("[\"ev\",{\"y\":2}]", a2.next());
        // Every send was queued before a1's reply, so had b been sent the event it would be
        // queued ahead of this reply on b's channel.
        b.send("[\"echo\",0,1]");
        assertEquals("[\"_rpc\",0,1]", b.next(), "the other group got no event");
    }

    @Test
    void answersUnknownNamesAndBadJsonWithTheProtocolsErrors() throws Exception {
        Client a = connect("a");
        a.send("[\"missing\",null,6]");
        assertEquals("[\"_rpc\",null,6,{\"code\":\"NO_SUCH_FUNCTION\",\"message\":\"no callable function \\\"missing\\\" in bench.ws\"}]", a.next());
        a.send("not json");
        String reply = a.next();
        assertTrue(reply.startsWith("[\"_error\",{\"code\":\"BAD_JSON\",\"message\":\"frame is not valid JSON: "), reply);
        a.send("['echo',1,2]");
        assertTrue(a.next().contains("BAD_JSON"), "single quotes are not JSON, though Gson's lenient parser takes them");
    }

    @Test
    void closedConnectionsLeaveTheirGroup() throws Exception {
        Client a1 = connect("a");
        Client a2 = connect("a");
        waitFor(() -> server.members("a") == 2);
        a2.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        waitFor(() -> server.members("a") == 1);
        a1.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        waitFor(() -> server.members("a") == 0);
    }

    private Client connect(String group) throws Exception {
        Client client = new Client();
        client.ws = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/bench?g=" + group), client)
                .get(5, TimeUnit.SECONDS);
        return client;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(5);
        }
    }

    /** A client that queues each whole text message it receives. */
    private static final class Client implements WebSocket.Listener {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        void send(String text) throws Exception {
            ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        }

        /** The next message, waiting up to 5 s for it. */
        String next() throws InterruptedException {
            String message = received.poll(5, TimeUnit.SECONDS);
            if (message == null) throw new AssertionError("no message within 5 s");
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
