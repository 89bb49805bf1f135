package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** setTimeout, setInterval and their clear functions run on the controllers' loop. */
@Timeout(60)
class TimerTest {
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
