package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RpcTest {
    @TempDir
    static Path temp;
    static TestSite site;

    @BeforeAll
    static void start() {
        site = TestSite.start("basic", temp);
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void callWithSeqGetsResultInTheOriginalFormat() {
        try (WsClient ws = site.connect("/chat/r1")) {
            assertEquals("[\"_rpc\",{\"a\":[1,2,\"x\"]},1]", ws.call("[\"echo\",{\"a\":[1,2,\"x\"]},1]"));
        }
    }

    @Test
    void callWithoutSeqIsRunButNotAnswered() {
        try (WsClient ws = site.connect("/chat/r1")) {
            ws.send("[\"remember\",\"kept\"]");
            assertEquals("[\"_rpc\",\"kept\",2]", ws.call("[\"recall\",null,2]"));
        }
    }

    @Test
    void promiseResultIsSentWhenItSettles() {
        try (WsClient ws = site.connect("/chat/r1")) {
            assertEquals("[\"_rpc\",\"soon\",3]", ws.call("[\"later\",\"soon\",3]"));
        }
    }

    @Test
    void unknownFunctionIsAnErrorReply() {
        try (WsClient ws = site.connect("/chat/r1")) {
            assertEquals("[\"_rpc\",null,4,{\"code\":\"NO_SUCH_FUNCTION\",\"message\":\"no callable function \\\"nope\\\" in chat.ws\"}]",
                    ws.call("[\"nope\",null,4]"));
        }
    }

    @Test
    void throwIsAnErrorReplyWithItsMessage() {
        try (WsClient ws = site.connect("/chat/r1")) {
            assertEquals("[\"_rpc\",null,5,{\"code\":\"CALL_FAILED\",\"message\":\"failed: x\"}]", ws.call("[\"fails\",\"x\",5]"));
        }
    }

    @Test
    void contextHoldsUrlVariablesAndQueryParameters() {
        try (WsClient ws = site.connect("/chat/r%20one?nick=ann&x=1")) {
            String reply = ws.call("[\"context\",null,6]");
            assertTrue(reply.contains("\"room\":\"r one\""), reply);
            assertTrue(reply.contains("\"nick\":\"ann\""), reply);
        }
    }
}
