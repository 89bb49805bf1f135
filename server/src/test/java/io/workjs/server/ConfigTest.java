package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.config.ConfigException;
import io.workjs.server.config.ConfigLoader;
import io.workjs.server.config.DatabaseUrl;
import io.workjs.server.config.RedisUrl;
import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.Limits;
import io.workjs.server.config.Operations;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.config.Sessions;
import io.workjs.server.routing.MapException;
import io.workjs.server.support.TestSite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CONF file, the command line over it, and start-up errors: every message is read by a person fixing it. */
@Timeout(60)
class ConfigTest {
    @TempDir
    Path site;

    final List<String> warnings = new ArrayList<>();

    // --- CONF ---

    @Test
    void siteWithoutConfGetsTheDefaults() {
        ServerConfig config = ConfigLoader.load(site, warnings::add);
        assertEquals(3000, config.port());
        assertEquals("127.0.0.1", config.host());
        assertNull(config.origin());
        assertEquals(1 << 20, config.limits().maxMessageBytes());
        assertEquals(site, config.site());
        assertEquals(List.of(), warnings);
    }

    @Test
    void confValuesAreUsed() {
        conf("""
                {"port": 8080, "host": "0.0.0.0", "origin": "https://chat.example:8443", "origins": ["http://localhost:5173"],
                 "data": "var/db", "maxMessageBytes": 4096, "maxJsonDepth": 8, "maxNameLength": 40, "callsPerSecond": 10,
                 "callBurst": 20, "maxQueuedBytes": 65536, "callTimeoutMs": 500, "pingIntervalSeconds": 5,
                 "pingTimeoutSeconds": 3, "maxConnections": 50, "maxConnectionsPerAddress": 5,
                 "maxPendingFrames": 8, "maxPendingFramesTotal": 100, "maxPendingBytes": 100000,
                 "sessionSecrets": ["0123456789abcdef0123456789abcdef"], "sessionIdleSeconds": 3600, "sessionCookie": "sid",
                 "db_url": "postgres://app:s3cret@db.internal:6543/chat", "db_poolsize": 4, "dbQueryTimeoutMs": 1500,
                 "dbMaxRows": 500, "dbQueueLength": 20, "dbTransactionTimeoutMs": 5000,
                 "redis": "redis://:pw@cache.internal:6380/2", "nodeName": "web-1", "redisStreamLength": 500, "redisOutboxEvents": 50,
                 "servermode": "Development", "adminPort": 9100, "adminHost": "0.0.0.0", "drainSeconds": 30, "logFormat": "json"}
                """);
        ServerConfig config = ConfigLoader.load(site, warnings::add);
        assertEquals("redis://:***@cache.internal:6380/2", config.cluster().redis().display(), "the password is never shown");
        assertEquals("cache.internal", config.cluster().redis().uri().getHost());
        assertEquals(6380, config.cluster().redis().uri().getPort());
        assertEquals(2, config.cluster().redis().uri().getDatabase());
        assertEquals("web-1", config.cluster().nodeName());
        assertEquals(new ServerConfig(site, "0.0.0.0", 8080, "https://chat.example:8443", List.of("http://localhost:5173"),
                site.resolve("var/db"), Limits.DEFAULTS.with(Limits.MAX_MESSAGE_BYTES, 4096)
                        .with(RuntimeLimits.MAX_JSON_DEPTH, 8).with(RuntimeLimits.MAX_NAME_LENGTH, 40)
                        .with(RuntimeLimits.CALLS_PER_SECOND, 10).with(RuntimeLimits.CALL_BURST, 20)
                        .with(Limits.MAX_QUEUED_BYTES, 65536).with(RuntimeLimits.CALL_TIMEOUT, 500)
                        .with(Limits.PING_INTERVAL, 5).with(Limits.PING_TIMEOUT, 3)
                        .with(Limits.MAX_CONNECTIONS, 50).with(Limits.MAX_CONNECTIONS_PER_ADDRESS, 5)
                        .with(RuntimeLimits.MAX_PENDING_FRAMES, 8).with(RuntimeLimits.MAX_PENDING_FRAMES_TOTAL, 100)
                        .with(RuntimeLimits.MAX_PENDING_BYTES, 100000).with(RuntimeLimits.DB_POOL_SIZE, 4)
                        .with(RuntimeLimits.DB_QUERY_TIMEOUT, 1500).with(RuntimeLimits.DB_MAX_ROWS, 500)
                        .with(RuntimeLimits.DB_QUEUE, 20).with(RuntimeLimits.DB_TRANSACTION_TIMEOUT, 5000)
                        .with(Limits.REDIS_STREAM_LENGTH, 500).with(Limits.REDIS_OUTBOX, 50),
                new Sessions(List.of("0123456789abcdef0123456789abcdef"), 3600, "sid"),
                new DatabaseUrl("jdbc:postgresql://db.internal:6543/chat", "app", "s3cret", "postgres://app:***@db.internal:6543/chat"),
                config.cluster(), new Operations(true, 9100, "0.0.0.0", 30, true)), config);
        assertEquals(List.of(), warnings);
    }

    @Test
    void confMayGiveSomeKeysAndKeepTheOtherDefaults() {
        conf("{\"port\": 0}");
        assertEquals(ServerConfig.defaults(site).withPort(0), ConfigLoader.load(site, warnings::add));
    }

    @Test
    void unknownKeyGivesOneWarningNamingItAndTheRestLoads() {
        conf("{\"port\": 4000, \"colour\": \"blue\"}");
        ServerConfig config = ConfigLoader.load(site, warnings::add);
        assertEquals(4000, config.port());
        assertEquals(List.of("CONF: unknown key \"colour\" ignored (known: adminHost, adminPort, callBurst, callTimeoutMs, callsPerSecond, data, "
                + "dbMaxRows, dbQueryTimeoutMs, dbQueueLength, dbTransactionTimeoutMs, db_poolsize, db_url, drainSeconds, host, logFormat, "
                + "maxConnections, maxConnectionsPerAddress, maxJsonDepth, maxMessageBytes, maxNameLength, maxPendingBytes, "
                + "maxPendingFrames, maxPendingFramesTotal, maxQueuedBytes, nodeName, origin, origins, pingIntervalSeconds, pingTimeoutSeconds, "
                + "port, redis, redisOutboxEvents, redisStreamLength, resumeBufferBytes, resumeWindowSeconds, servermode, sessionCookie, "
                + "sessionIdleSeconds, sessionSecrets)"), warnings);
    }

    @Test
    void invalidJsonSaysWhereItBroke() {
        conf("{\"port\": 80,,}");
        assertEquals("CONF: not valid JSON: malformed JSON at line 1 column 14", confError());
    }

    @Test
    void jsonIsReadStrictlyAsWorkJsReadsIt() {
        conf("{port: 80}");
        assertTrue(confError().startsWith("CONF: not valid JSON: "), "unquoted name");
        conf("{\"port\": 80} // the port");
        assertTrue(confError().startsWith("CONF: not valid JSON: "), "comment");
        conf("{'port': 80}");
        assertTrue(confError().startsWith("CONF: not valid JSON: "), "single quotes");
        conf("{\"port\": 80} {}");
        assertEquals("CONF: not valid JSON: malformed JSON at line 1 column 15", confError());
    }

    @Test
    void shortOrNoSessionSecretsAndBadCookieNamesAreRefused() {
        conf("{\"sessionSecrets\": [\"short\"]}");
        assertEquals("CONF \"sessionSecrets\": each secret must be at least 32 characters long", confError());
        conf("{\"sessionSecrets\": []}");
        assertEquals("CONF \"sessionSecrets\": give at least one secret, or leave the key out to have one generated", confError());
        conf("{\"sessionCookie\": \"a b\"}");
        assertEquals("CONF \"sessionCookie\": not a cookie name: \"a b\"", confError());
        conf("{\"origins\": \"https://x.example\"}");
        assertEquals("CONF \"origins\": must be an array of strings, got \"https://x.example\"", confError());
    }

    @Test
    void originWithATrailingSlashIsTheSameOrigin() {
        conf("{\"origin\": \"https://chat.example/\"}");
        assertEquals("https://chat.example", ConfigLoader.load(site, warnings::add).origin());
    }

    @Test
    void unclosedJsonSaysWhereItBroke() {
        conf("{\"port\": 80");
        assertEquals("CONF: not valid JSON: End of input at line 1 column 12", confError());
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        conf("[3000]");
        assertEquals("CONF: must be a JSON object such as {\"port\": 3000}, got an array", confError());
    }

    @Test
    void emptyConfIsRefusedAsNotAnObject() {
        conf("");
        assertEquals("CONF: must be a JSON object such as {\"port\": 3000}, got an empty file", confError());
    }

    @Test
    void jsonNullIsRefusedAsNotAnObject() {
        conf("null");
        assertEquals("CONF: must be a JSON object such as {\"port\": 3000}, got null", confError());
    }

    @Test
    void confThatIsNotUtf8IsSaidToBeSo() throws IOException {
        Files.write(site.resolve("CONF"), new byte[] {'{', '"', 'h', (byte) 0xE9, '"', ':', '1', '}'});
        assertEquals("CONF: is not UTF-8 text", confError());
    }

    @Test
    void confWithAByteOrderMarkLoads() {
        conf("\uFEFF{\"port\": 4000}");
        assertEquals(4000, ConfigLoader.load(site, warnings::add).port());
    }

    @Test
    void portAsAStringIsRefused() {
        conf("{\"port\": \"8080\"}");
        assertEquals("CONF \"port\": must be an integer from 0 to 65535, got \"8080\"", confError());
    }

    @Test
    void fractionalPortIsRefused() {
        conf("{\"port\": 80.5}");
        assertEquals("CONF \"port\": must be an integer from 0 to 65535, got 80.5", confError());
    }

    @Test
    void portAboveTheRangeIsRefused() {
        conf("{\"port\": 65536}");
        assertEquals("CONF \"port\": must be an integer from 0 to 65535, got 65536", confError());
    }

    @Test
    void negativePortIsRefused() {
        conf("{\"port\": -1}");
        assertEquals("CONF \"port\": must be an integer from 0 to 65535, got -1", confError());
    }

    @Test
    void hostAsANumberIsRefused() {
        conf("{\"host\": 127}");
        assertEquals("CONF \"host\": must be a string, got 127", confError());
    }

    @Test
    void blankHostIsRefused() {
        conf("{\"host\": \" \"}");
        assertEquals("CONF \"host\": not a host name or address: \" \"", confError());
    }

    @Test
    void originWithAnotherSchemeIsRefused() {
        conf("{\"origin\": \"ftp://chat.example\"}");
        assertEquals("CONF \"origin\": an origin is scheme://host[:port] with http or https, got \"ftp://chat.example\"", confError());
    }

    @Test
    void originWithAPathIsRefused() {
        conf("{\"origin\": \"https://chat.example/app\"}");
        assertEquals("CONF \"origin\": an origin is scheme://host[:port] with http or https, got \"https://chat.example/app\"", confError());
    }

    @Test
    void originWithoutAHostIsRefused() {
        conf("{\"origin\": \"chat.example\"}");
        assertEquals("CONF \"origin\": an origin is scheme://host[:port] with http or https, got \"chat.example\"", confError());
    }

    @Test
    void tooSmallMaxMessageBytesIsRefused() {
        conf("{\"maxMessageBytes\": 8}");
        assertEquals("CONF \"maxMessageBytes\": must be an integer from 16 to 67108864, got 8", confError());
    }

    // --- the command line ---

    @Test
    void portOptionWithASeparateValue() {
        assertEquals(0, Main.parse(new String[] {"--port", "0", site.toString()}).port());
    }

    @Test
    void portOptionWithAnEqualsSign() {
        assertEquals(0, Main.parse(new String[] {"--port=0", site.toString()}).port());
    }

    @Test
    void hostOptionInBothForms() {
        assertEquals("0.0.0.0", Main.parse(new String[] {"--host", "0.0.0.0", site.toString()}).host());
        assertEquals("::1", Main.parse(new String[] {site.toString(), "--host=::1"}).host());
    }

    @Test
    void dataFolderDefaultsInsideTheSiteAndTheOptionMovesIt() {
        assertEquals(site.toAbsolutePath().normalize().resolve(".workjs"), Main.parse(new String[] {site.toString()}).data());
        Path elsewhere = site.resolveSibling("elsewhere").toAbsolutePath().normalize();
        assertEquals(elsewhere, Main.parse(new String[] {"--data", elsewhere.toString(), site.toString()}).data());
        assertEquals(elsewhere, Main.parse(new String[] {"--data=" + elsewhere, site.toString()}).data());
    }

    @Test
    void theDatabaseIsEmbeddedUnlessDbUrlOrTheOptionNamesPostgres() {
        assertNull(Main.parse(new String[] {site.toString()}).database());
        conf("{\"db_url\": \"pg://chat@db.internal/workshop\"}");
        assertEquals("jdbc:postgresql://db.internal:5432/workshop", Main.parse(new String[] {site.toString()}).database().jdbc());
        DatabaseUrl fromOption = Main.parse(new String[] {"--db-url", "postgresql://app:p%40ss@10.0.0.5:6000/chat?sslmode=require", site.toString()}).database();
        assertEquals(new DatabaseUrl("jdbc:postgresql://10.0.0.5:6000/chat?sslmode=require", "app", "p@ss",
                "postgresql://app:***@10.0.0.5:6000/chat?sslmode=require"), fromOption, "the option wins over CONF");
        assertEquals("jdbc:postgresql://h/d?user=u", Main.parse(new String[] {"--db-url=jdbc:postgresql://h/d?user=u", site.toString()}).database().jdbc());
    }

    @Test
    void aServerRunsAloneUnlessRedisOrTheOptionNamesOneAndTheOptionsWinOverConf() {
        assertFalse(Main.parse(new String[] {site.toString()}).clustered());
        conf("{\"nodeName\": \"web-1\"}");
        assertFalse(Main.parse(new String[] {site.toString()}).clustered(), "a node name alone is no cluster");
        ServerConfig fromOption = Main.parse(new String[] {"--redis", "redis://127.0.0.1:7000", site.toString()});
        assertTrue(fromOption.clustered());
        assertEquals("web-1", fromOption.cluster().nodeName(), "CONF's node name with the option's Redis");
        conf("{\"redis\": \"redis://10.0.0.9\", \"nodeName\": \"web-1\"}");
        ServerConfig both = Main.parse(new String[] {"--redis=rediss://u:pw@cache:6390", "--node-name", "web-2", site.toString()});
        assertEquals("rediss://u:***@cache:6390", both.cluster().redis().display());
        assertEquals("web-2", both.cluster().nodeName());
        assertEquals(6379, Main.parse(new String[] {site.toString()}).cluster().redis().uri().getPort(), "Redis's own port by default");
    }

    @Test
    void aBadRedisUrlOrNodeNameStopsStartUpNamingWhereItCameFrom() {
        conf("{\"redis\": \"http://u:hunter2@cache:6379\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(site, w -> { }));
        assertEquals("CONF \"redis\": must be redis://host:port (or rediss:// for TLS), got \"http://u:***@cache:6379\"", e.getMessage());
        conf("{}");
        ConfigException name = assertThrows(ConfigException.class, () -> Main.parse(new String[] {"--node-name", "web 1", site.toString()}));
        assertEquals("--node-name: a node name is 1 to 64 letters, digits, '.', '_', ':' or '-', got \"web 1\"", name.getMessage());
        ConfigException masked = assertThrows(ConfigException.class, () -> RedisUrl.parse("redis://:hunter2@", "--redis"));
        assertTrue(masked.getMessage().startsWith("--redis: ") && !masked.getMessage().contains("hunter2"), masked.getMessage());
        assertEquals("redis://***@cache:6379", RedisUrl.parse("redis://hunter2@cache:6379", "--redis").display(),
                "a password given without a user is masked too");
    }

    @Test
    void aBadDbUrlStopsStartUpNamingWhereItCameFromWithoutThePassword() {
        conf("{\"db_url\": \"mysql://root:hunter2@db/site\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(site, w -> { }));
        assertTrue(e.getMessage().startsWith("CONF \"db_url\": must be postgres://"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
        ConfigException noDatabase = assertThrows(ConfigException.class, () -> DatabaseUrl.parse("postgres://u:secret@host", "--db-url"));
        assertTrue(noDatabase.getMessage().startsWith("--db-url: needs a host and a database name") && !noDatabase.getMessage().contains("secret"),
                noDatabase.getMessage());
    }

    @Test
    void withoutOptionsTheSiteGetsItsConf() {
        conf("{\"port\": 4000, \"host\": \"0.0.0.0\"}");
        ServerConfig config = Main.parse(new String[] {site.toString()});
        assertEquals(4000, config.port());
        assertEquals("0.0.0.0", config.host());
        assertEquals(site.toAbsolutePath().normalize(), config.site());
    }

    @Test
    void optionsOverrideConf() {
        conf("{\"port\": 4000, \"host\": \"0.0.0.0\", \"maxMessageBytes\": 100}");
        ServerConfig config = Main.parse(new String[] {"--port", "5000", "--host", "127.0.0.2", site.toString()});
        assertEquals(5000, config.port());
        assertEquals("127.0.0.2", config.host());
        assertEquals(100, config.limits().maxMessageBytes(), "what no option names still comes from CONF");
    }

    @Test
    void helpIsAUsageWithoutAnError() {
        assertEquals("", usage("--help"));
        assertEquals("", usage("-h"));
    }

    @Test
    void unknownOptionIsNamed() {
        assertEquals("unknown option --verbose", usage("--verbose", site.toString()));
    }

    @Test
    void missingSiteDirIsReported() {
        assertEquals("SITE_DIR is missing", usage("--port", "0"));
    }

    @Test
    void twoSiteDirsAreReportedByName() {
        assertEquals("one SITE_DIR only, got a and b", usage("a", "b"));
    }

    @Test
    void siteDirThatIsNotADirectoryIsReported() {
        String missing = site.resolve("nope").toString();
        assertEquals("SITE_DIR " + missing + " is not a directory", usage(missing));
    }

    @Test
    void nonNumericPortIsReportedWithTheValue() {
        assertEquals("--port needs a number from 0 to 65535, got \"abc\"", usage("--port", "abc", site.toString()));
        assertEquals("--port needs a number from 0 to 65535, got \"\"", usage("--port=", site.toString()));
    }

    @Test
    void outOfRangePortOptionIsAUsageErrorLikeANonNumericOne() {
        assertEquals("--port needs a number from 0 to 65535, got \"65536\"", usage("--port", "65536", site.toString()));
        assertEquals("--port needs a number from 0 to 65535, got \"-1\"", usage("--port=-1", site.toString()));
    }

    @Test
    void portOptionWithoutAValueIsReported() {
        assertEquals("--port needs a value", usage(site.toString(), "--port"));
        assertEquals("--host needs a value", usage(site.toString(), "--host"));
    }

    @Test
    void badConfStillStopsTheCommandLineEvenWithOptions() {
        conf("{\"port\": \"x\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> Main.parse(new String[] {"--port", "0", site.toString()}));
        assertEquals("CONF \"port\": must be an integer from 0 to 65535, got \"x\"", e.getMessage());
    }

    // --- start-up ---

    @Test
    void mapErrorStopsStartWithItsFileAndLine(@TempDir Path temp) throws IOException {
        Path dir = TestSite.copy("http", temp);
        Files.writeString(dir.resolve("MAP"), "/  get  index\n/x  frob  index\n");
        MapException e = assertThrows(MapException.class, () -> WorkServer.start(ServerConfig.defaults(dir).withPort(0)));
        assertEquals("MAP:2: unknown method \"frob\"", e.getMessage());
    }

    @Test
    void mapErrorInAMountNamesTheMountedFile(@TempDir Path temp) throws IOException {
        Path dir = TestSite.copy("http", temp);
        Files.writeString(dir.resolve("modules/admin/MAP"), "@  get  panel\n\n/:page  frob  panel\n");
        MapException e = assertThrows(MapException.class, () -> WorkServer.start(ServerConfig.defaults(dir).withPort(0)));
        assertTrue(e.getMessage().startsWith("modules/admin/MAP:3: "), e.getMessage());
    }

    private void conf(String json) {
        try {
            Files.writeString(site.resolve("CONF"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String confError() {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(site, warnings::add)).getMessage();
    }

    private static String usage(String... args) {
        return assertThrows(Main.Usage.class, () -> Main.parse(args)).getMessage();
    }
}
