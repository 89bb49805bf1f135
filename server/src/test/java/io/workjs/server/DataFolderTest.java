package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.config.ConfigException;
import io.workjs.server.support.TestSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The data folder (sessions, the secret) can never be one the server serves. */
@Timeout(60)
class DataFolderTest {
    @TempDir
    Path temp;

    @Test
    void dataFolderInsideStaticStopsStartUp() throws IOException {
        Path dir = TestSite.copy("http", temp);
        Files.writeString(dir.resolve("CONF"), "{\"data\": \"static/data\"}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> TestSite.serveWithConf(dir).close());
        assertTrue(e.getMessage().startsWith("CONF \"data\": "), e.getMessage());
        assertTrue(e.getMessage().contains("is inside static/, which is served to anyone"), e.getMessage());
    }

    @Test
    void dataFolderReachingStaticThroughALinkStopsStartUp() throws IOException {
        Path dir = TestSite.copy("http", temp);
        Files.createSymbolicLink(dir.resolve("store"), dir.resolve("static"));
        Files.writeString(dir.resolve("CONF"), "{\"data\": \"store/data\"}\n");
        assertThrows(ConfigException.class, () -> TestSite.serveWithConf(dir).close());
    }

    @Test
    void defaultDataFolderStartsAndIsNotServed() throws IOException {
        Path dir = TestSite.copy("http", temp);
        try (TestSite site = TestSite.serveWithConf(dir)) {
            assertEquals(404, site.get("/.workjs/").statusCode());
        }
    }
}
