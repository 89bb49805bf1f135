package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.workjs.server.config.Limits;
import io.workjs.server.support.RawWs;
import io.workjs.server.support.RunningSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's WebSocket framing (RFC 6455) seen from a hand-written client: messages in
 * fragments and in pieces, control frames between them, the close handshake, and every frame
 * the protocol forbids failing the connection with its close code.
 */
@Timeout(60)
class FramingTest {
    static final int MAX = 100_000;

    @RegisterExtension
    static final RunningSite site = new RunningSite("bounds", Limits.DEFAULTS.with(Limits.MAX_MESSAGE_BYTES, MAX));

    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CONTINUATION = 0;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;
    private static final int FIN = 0x80;

    private static RawWs connect() throws IOException {
        return RawWs.connect(site.server().port(), "/room/framing");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String echoed(RawWs ws) throws IOException {
        RawWs.Frame reply = ws.read();
        assertEquals(TEXT, reply.opcode(), "a text frame");
        return reply.text();
    }

    private static byte[] closeFrame(int code, String reason) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(code >> 8);
        payload.write(code);
        payload.writeBytes(utf8(reason));
        return payload.toByteArray();
    }

    private static void assertFailsWith(int code, RawWs ws) throws IOException {
        RawWs.Frame close = ws.awaitClose();
        assertEquals(code, close == null ? -1 : close.closeCode(), () -> "close frame " + (close == null ? "none" : close.text()));
        assertNull(ws.read(), "the socket ends after the close frame");
    }

    @Test
    void aMessageInFragmentsIsOneCall() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(TEXT, utf8("[\"echo\","), false).send(CONTINUATION, utf8("\"hé"), false).send(CONTINUATION, utf8("llo\",1]"), true);
            assertEquals("[\"_rpc\",\"héllo\",1]", echoed(ws));
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsDecodedWhole() throws Exception {
        byte[] text = utf8("[\"echo\",\"€😀\",2]");
        try (RawWs ws = connect()) {
            int cut = 10;   // inside the euro sign's three bytes
            ws.send(TEXT, java.util.Arrays.copyOfRange(text, 0, cut), false).send(CONTINUATION, java.util.Arrays.copyOfRange(text, cut, text.length), true);
            assertEquals("[\"_rpc\",\"€😀\",2]", echoed(ws));
        }
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredWithItsPayload() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(TEXT, utf8("[\"echo\","), false).send(PING, utf8("are you there"), true).send(CONTINUATION, utf8("3,3]"), true);
            RawWs.Frame pong = ws.read();
            assertEquals(PONG, pong.opcode());
            assertArrayEquals(utf8("are you there"), pong.payload());
            assertEquals("[\"_rpc\",3,3]", echoed(ws));
        }
    }

    @Test
    void framesSentAByteAtATimeAreRead() throws Exception {
        String big = "y".repeat(70_000);   // a 64-bit length field
        try (RawWs ws = connect()) {
            ws.writeByteByByte(ws.frame(FIN | TEXT, utf8("[\"echo\",\"a\",4]"), true));
            assertEquals("[\"_rpc\",\"a\",4]", echoed(ws));
            byte[] frame = ws.frame(FIN | TEXT, utf8("[\"echo\",\"" + big + "\",5]"), true);
            ws.writeByteByByte(java.util.Arrays.copyOfRange(frame, 0, 20)).write(java.util.Arrays.copyOfRange(frame, 20, frame.length));
            assertEquals("[\"_rpc\",\"" + big + "\",5]", echoed(ws));
        }
    }

    @Test
    void manyFramesInOneWriteAreAnsweredInOrder() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (RawWs ws = connect()) {
            for (int i = 1; i <= 150; i++) all.writeBytes(ws.frame(FIN | TEXT, utf8("[\"echo\"," + i + "," + i + "]"), true));
            all.writeBytes(ws.frame(FIN | TEXT, new byte[0], true));   // an empty message: an error reply, not a stall
            ws.write(all.toByteArray());
            for (int i = 1; i <= 150; i++) assertEquals("[\"_rpc\"," + i + "," + i + "]", echoed(ws));
            assertEquals(true, echoed(ws).startsWith("[\"_error\""), "an empty frame is answered");
        }
    }

    @Test
    void aReplyLargerThanTheWriteBufferArrivesWhole() throws Exception {
        String big = "z".repeat(90_000);
        try (RawWs ws = connect()) {
            ws.send(TEXT, utf8("[\"echo\",\"" + big + "\",6]")).send(TEXT, utf8("[\"echo\",7,7]"));
            assertEquals("[\"_rpc\",\"" + big + "\",6]", echoed(ws));
            assertEquals("[\"_rpc\",7,7]", echoed(ws));
        }
    }

    @Test
    void repliesAndPongsInterleavedArriveWholeAndInOrder() throws Exception {
        String big = "q".repeat(20_000);   // 800 KB of replies in all, with pongs between them
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (RawWs ws = connect()) {
            for (int i = 1; i <= 40; i++) {
                all.writeBytes(ws.frame(FIN | TEXT, utf8("[\"echo\",\"" + big + "\"," + i + "]"), true));
                all.writeBytes(ws.frame(FIN | PING, utf8("p" + i), true));
            }
            ws.write(all.toByteArray());
            int replies = 0;
            int pongs = 0;
            while (replies < 40 || pongs < 40) {
                RawWs.Frame frame = ws.read();
                if (frame.opcode() == PONG) assertEquals("p" + ++pongs, new String(frame.payload(), StandardCharsets.UTF_8));
                else assertEquals("[\"_rpc\",\"" + big + "\"," + ++replies + "]", frame.text(), "reply " + replies);
            }
        }
    }

    @Test
    void theClientsCloseIsEchoedAndTheSocketEnds() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(CLOSE, closeFrame(4001, "bye"));
            RawWs.Frame close = ws.awaitClose();
            assertEquals(4001, close.closeCode());
            assertNull(ws.read());
        }
        try (RawWs ws = connect()) {
            ws.send(CLOSE, new byte[0]);
            assertEquals(0, ws.awaitClose().payload().length, "an empty close is answered with an empty close");
            assertNull(ws.read());
        }
    }

    @Test
    void afterItsCloseFrameTheServerSendsNothingAndEndsWhenAnswered() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(BINARY, new byte[] {1, 2, 3});
            RawWs.Frame close = ws.read();
            assertEquals(1003, close.closeCode());
            ws.send(TEXT, utf8("[\"echo\",8,8]"));   // not answered: the server has closed
            ws.send(CLOSE, closeFrame(1000, ""));
            assertNull(ws.read(), "no reply and no second close frame: the socket ends");
        }
    }

    @Test
    void anUnmaskedFrameFailsTheConnection() throws Exception {
        try (RawWs ws = connect()) {
            ws.write(ws.frame(FIN | TEXT, utf8("[\"echo\",1,1]"), false));
            assertFailsWith(1002, ws);
        }
    }

    @Test
    void reservedBitsFailTheConnection() throws Exception {
        try (RawWs ws = connect()) {
            ws.write(ws.frame(FIN | 0x40 | TEXT, utf8("[\"echo\",1,1]"), true));
            assertFailsWith(1002, ws);
        }
    }

    @Test
    void anUnknownOpcodeFailsTheConnection() throws Exception {
        try (RawWs ws = connect()) {
            ws.write(ws.frame(FIN | 3, utf8("x"), true));
            assertFailsWith(1002, ws);
        }
    }

    @Test
    void aControlFrameOver125BytesOrFragmentedFailsTheConnection() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(PING, new byte[126]);
            assertFailsWith(1002, ws);
        }
        try (RawWs ws = connect()) {
            ws.send(PING, new byte[1], false);
            assertFailsWith(1002, ws);
        }
    }

    @Test
    void aContinuationWithNoMessageOrANewMessageInsideOneFailsTheConnection() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(CONTINUATION, utf8("1]"), true);
            assertFailsWith(1002, ws);
        }
        try (RawWs ws = connect()) {
            ws.send(TEXT, utf8("[\"echo\","), false).send(TEXT, utf8("1,1]"), true);
            assertFailsWith(1002, ws);
        }
    }

    @Test
    void invalidUtf8AcrossFragmentsFailsWith1007() throws Exception {
        try (RawWs ws = connect()) {
            ws.send(TEXT, new byte[] {'[', '"', (byte) 0xE2, (byte) 0x82}, false).send(CONTINUATION, new byte[] {'x', '"', ']'}, true);
            assertFailsWith(1007, ws);
        }
        try (RawWs ws = connect()) {
            ws.send(TEXT, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'});   // a UTF-16 surrogate, encoded
            assertFailsWith(1007, ws);
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitFailsWith1009BeforeItsBytesCome() throws Exception {
        try (RawWs ws = connect()) {
            byte[] header = ByteBuffer.allocate(14).put((byte) (FIN | TEXT)).put((byte) (0x80 | 127)).putLong(MAX + 1).putInt(0).array();
            ws.write(header);
            RawWs.Frame close = ws.awaitClose();
            assertEquals(1009, close.closeCode());
            assertEquals("UT002040: Message exceeded max message size of " + MAX, close.text());
        }
        try (RawWs ws = connect()) {
            ws.send(TEXT, new byte[MAX / 2], false).send(CONTINUATION, new byte[MAX / 2 + 1], true);
            assertFailsWith(1009, ws);
        }
    }

    @Test
    void aCloseWithAnInvalidCodeOrOneByteFailsTheConnection() throws Exception {
        for (int code : new int[] {999, 1005, 1006, 1015, 2000, 5000}) {
            try (RawWs ws = connect()) {
                ws.send(CLOSE, closeFrame(code, ""));
                assertFailsWith(1002, ws);
            }
        }
        try (RawWs ws = connect()) {
            ws.send(CLOSE, new byte[] {3});
            assertFailsWith(1002, ws);
        }
    }
}
