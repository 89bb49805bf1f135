package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.server.support.RunningSite;
import io.workjs.server.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** setTimeout, setInterval and their clear functions run on the controllers' loop. */
@Timeout(60)
class TimerTest {
    @RegisterExtension
    static final RunningSite site = new RunningSite("basic");

    @Test
    void intervalRunsUntilCleared() {
        try (WsClient ws = site.connect("/chat/t1")) {
            assertEquals("[\"_rpc\",true,1]", ws.call("[\"ticks\",3,1]"));
            assertEquals("[\"tick\",1]", ws.next());
            assertEquals("[\"tick\",2]", ws.next());
            assertEquals("[\"tick\",3]", ws.next());
            assertEquals("[\"done\",3]", ws.next());
            assertEquals("[\"_rpc\",1,2]", ws.call("[\"echo\",1,2]"), "no tick after clearInterval");
        }
    }

    @Test
    void clearedTimeoutNeverFiresAndExtraArgumentsArePassed() {
        try (WsClient ws = site.connect("/chat/t2")) {
            assertEquals("[\"_rpc\",true,1]", ws.call("[\"cancelled\",null,1]"));
            assertEquals("[\"timeout-args\",5]", ws.next(), "the cleared 20 ms timeout would have come first");
        }
    }
}
