package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.workjs.server.support.Await;
import io.workjs.server.support.LogCapture;
import io.workjs.server.support.RawUpgrade;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** maxConnectionsPerAddress (3 here) answers 429, maxConnections (5 here) answers 503, both before the upgrade. */
@Timeout(60)
class ConnectionLimitTest {
    @TempDir
    Path temp;
    TestSite site;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path dir = TestSite.copy("security", temp);
        Files.writeString(dir.resolve("CONF"), "{\"maxConnections\": 5, \"maxConnectionsPerAddress\": 3}\n");
        site = TestSite.serveWithConf(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        site.close();
    }

    private WsClient connect() {
        WsClient ws = site.connect("/count");
        open.add(ws);
        return ws;
    }

    private RawUpgrade upgrade(String localAddress) {
        RawUpgrade upgrade = RawUpgrade.open(site.server().port(), "/count", null, localAddress);
        open.add(upgrade);
        return upgrade;
    }

    @Test
    void fourthConnectionFromOneAddressGets429UntilOneCloses() {
        WsClient first = connect();
        connect();
        connect();
        try (LogCapture log = new LogCapture()) {
            RawUpgrade fourth = upgrade(null);
            assertEquals(429, fourth.status());
            assertEquals("too many connections from your address\n", fourth.body());
            log.await("from 127.0.0.1 refused (429): too many connections from your address");
        }
        first.close();
        Await.until("a place is free again after a close", () -> upgrade(null).status() == 101);
        assertEquals(429, upgrade(null).status());
    }

    @Test
    void connectionPastTheTotalGets503WhicheverAddressItComesFrom() {
        connect();
        connect();
        connect();
        RawUpgrade fourth = upgrade("127.0.0.2");
        assertEquals(101, fourth.status());
        assertEquals(101, upgrade("127.0.0.2").status());
        try (LogCapture log = new LogCapture()) {
            RawUpgrade sixth = upgrade("127.0.0.2");
            assertEquals(503, sixth.status());
            assertEquals("too many connections\n", sixth.body());
            log.await("from 127.0.0.2 refused (503): too many connections");
        }
        assertEquals(503, upgrade(null).status());
        fourth.close();
        Await.until("a place is free again after the socket closed", () -> upgrade("127.0.0.2").status() == 101);
    }

    @Test
    void refusedAndFailedUpgradesTakeNoPlace() {
        for (int i = 0; i < 10; i++) assertEquals(403, upgradeFrom("http://evil.example"));
        String badHandshake = "GET /count HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 99\r\n\r\n";
        for (int i = 0; i < 10; i++) {
            String response = site.raw(badHandshake + badHandshake);   // two on one keep-alive connection
            assertFalse(response.startsWith("HTTP/1.1 101"), response);
        }
        for (int i = 0; i < 3; i++) connect();
        assertEquals(429, upgrade(null).status());
    }

    private int upgradeFrom(String origin) {
        try (RawUpgrade upgrade = RawUpgrade.open(site.server().port(), "/count", origin, null)) {
            return upgrade.status();
        }
    }
}
