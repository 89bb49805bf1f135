package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.workjs.server.db.DatabaseException;
import io.workjs.server.support.TestSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code this.db} on the embedded database, and what it keeps out of a controller's reach. */
class EmbeddedDatabaseTest extends DatabaseContract {
    @TempDir
    Path temp;

    @Override
    protected TestSite startSite() {
        return TestSite.start("db", temp);
    }

    @Override
    protected void restartKeepingData() {
        db.close();
        site.close();
        site = TestSite.serve(site.dir());
        db = site.connect("/db");
    }

    @Test
    void aFailedMigrationStopsStartUpNamingTheFileAndLineAndTheNextStartAppliesTheFix() throws Exception {
        Path dir = TestSite.copy("db", temp.resolve("broken"));
        Files.writeString(dir.resolve("db/V4__add_tags.sql"), "CREATE TABLE tags (tag_id SERIAL PRIMARY KEY);\nALTER TABLE notes ADD COLUMN tag INTEGER,,;\n");
        DatabaseException e = assertThrows(DatabaseException.class, () -> TestSite.serve(dir));
        assertTrue(e.getMessage().contains("V4__add_tags.sql") && e.getMessage().contains("Line"), e.getMessage());
        Files.writeString(dir.resolve("db/V4__add_tags.sql"), "CREATE TABLE IF NOT EXISTS tags (tag_id SERIAL PRIMARY KEY);\nALTER TABLE notes ADD COLUMN tag INTEGER;\n");
        try (TestSite fixed = TestSite.serve(dir); io.workjs.server.support.WsClient c = fixed.connect("/db")) {
            assertTrue(c.call(frame("rows", "sql", "select tag from notes")).startsWith("[\"_rpc\",[]"), "the fixed file applied");
        }
    }

    @Override
    protected String undefinedTable() {
        return "42S02";
    }

    @Test
    void theDatabaseIsAFileInTheDataFolder() {
        assertTrue(Files.isRegularFile(site.dir().resolve(".workjs/db/site.mv.db")));
    }

    /**
     * H2's features that reach files, other databases or Java are for admins, and controllers are
     * not one: each is refused, and leaves no trace.
     */
    @Test
    void everyDangerousH2FeatureIsRefused() throws Exception {
        Path victim = temp.resolve("victim.txt");
        Files.writeString(victim, "secret");
        Path written = temp.resolve("written");
        String v = victim.toString();
        String w = written.toString();
        Map<String, String> attempts = new java.util.LinkedHashMap<>();
        attempts.put("CREATE ALIAS", "CREATE ALIAS shell AS 'String shell(String c) throws Exception { return new String(Runtime.getRuntime().exec(c).getInputStream().readAllBytes()); }'");
        attempts.put("CREATE ALIAS FOR", "CREATE ALIAS getprop FOR 'java.lang.System.getProperty'");
        attempts.put("CREATE TRIGGER", "CREATE TRIGGER t BEFORE INSERT ON notes AS 'org.h2.api.Trigger fire() {}'");
        attempts.put("CREATE TRIGGER CALL", "CREATE TRIGGER t2 BEFORE INSERT ON notes FOR EACH ROW CALL 'java.lang.Object'");
        attempts.put("CSVREAD", "SELECT * FROM CSVREAD('" + v + "')");
        attempts.put("CSVWRITE", "CALL CSVWRITE('" + w + "', 'SELECT 1')");
        attempts.put("FILE_READ", "SELECT FILE_READ('" + v + "')");
        attempts.put("FILE_WRITE", "SELECT FILE_WRITE('data', '" + w + "')");
        attempts.put("RUNSCRIPT", "RUNSCRIPT FROM '" + v + "'");
        attempts.put("SCRIPT TO", "SCRIPT TO '" + w + "'");
        attempts.put("SCRIPT", "SCRIPT");
        attempts.put("BACKUP TO", "BACKUP TO '" + w + "'");
        attempts.put("LINK_SCHEMA", "CALL LINK_SCHEMA('x', '', 'jdbc:h2:mem:other', 'sa', '', 'PUBLIC')");
        attempts.put("CREATE LINKED TABLE", "CREATE LINKED TABLE l('', 'jdbc:h2:mem:other', 'sa', '', 'notes')");
        attempts.put("SET system setting", "SET CACHE_SIZE 1");
        attempts.put("SET exclusive", "SET EXCLUSIVE 1");
        attempts.put("SET write delay", "SET WRITE_DELAY 0");
        attempts.put("CREATE USER", "CREATE USER intruder PASSWORD 'x' ADMIN");
        attempts.put("SHUTDOWN", "SHUTDOWN");
        for (var attempt : attempts.entrySet()) {
            JsonObject e = call("failure", "sql", attempt.getValue()).getAsJsonObject();
            assertEquals("DB_ERROR", e.get("code").getAsString(), attempt.getKey() + " was not refused");
        }
        assertFalse(Files.exists(written), "nothing was written");
        assertEquals(0, call("only", "sql", "select count(*) from notes").getAsInt(), "the database still answers");
    }

    @Test
    void aJavaObjectInAColumnComesBackAsItsBytesNeverDeserialised() {
        call("rows", "sql", "create table jo (o JAVA_OBJECT)");
        // the start of a serialised java.util.HashMap: deserialising it would run Java code paths
        call("rows", "sql", "insert into jo values (X'aced0005737200116a6176612e7574696c2e486173684d6170')");
        String reply = call("rows", "sql", "select o from jo").toString();
        assertTrue(reply.startsWith("[{\"o\":{\"0\":172,\"1\":237,"), "a Uint8Array of the bytes: " + reply);
    }

    @Test
    void aQueryReturningMoreThanDbMaxRowsFailsInsteadOfCuttingShort() {
        restartWith(io.workjs.runtime.RuntimeLimits.DB_MAX_ROWS, 2);
        for (int i = 0; i < 3; i++) call("rows", "sql", "insert into notes (owner) values ('many')");
        assertEquals(2, call("rows", "sql", "select owner from notes limit 2").getAsJsonArray().size());
        JsonObject e = call("failure", "sql", "select owner from notes").getAsJsonObject();
        assertEquals("DB_TOO_MANY_ROWS", e.get("code").getAsString(), e.toString());
        assertEquals(3, call("only", "sql", "select count(*) from notes").getAsInt());
    }

    @Test
    void aTransactionOpenPastDbTransactionTimeoutMsIsRolledBackAndItsCommitFails() {
        restartWith(io.workjs.runtime.RuntimeLimits.DB_TRANSACTION_TIMEOUT, 200);
        String outcome = call("slowTransaction", "owner", "slow", "text", "never", "ms", 1000).getAsString();
        assertTrue(outcome.startsWith("DB_ERROR: this transaction is over"), outcome);
        assertEquals(0, call("only", "sql", "select count(*) from notes where owner = 'slow'").getAsInt());
        assertEquals("committed", call("slowTransaction", "owner", "quick", "text", "kept", "ms", 10).getAsString());
    }

    @Test
    void aCommitNeverWaitsBehindAQueryThatWaitsForItsConnection() {
        db.close();
        site.close();
        site = TestSite.start("db", temp.resolve("one-thread"),
                c -> c.withLimits(c.limits().with(io.workjs.runtime.RuntimeLimits.DB_POOL_SIZE, 1)));
        db = site.connect("/db");
        assertEquals("{\"result\":\"committed\",\"count\":1}",
                call("commitWhilePoolIsBusy", "owner", "busy", "text", "x").toString());
    }

    private void restartWith(io.workjs.runtime.Bound bound, int value) {
        db.close();
        site.close();
        site = TestSite.start("db", temp.resolve("with-" + bound.key()), c -> c.withLimits(c.limits().with(bound, value)));
        db = site.connect("/db");
    }

    @Test
    void aQueryPastDbQueryTimeoutMsIsCancelled() throws Exception {
        restartWith(io.workjs.runtime.RuntimeLimits.DB_QUERY_TIMEOUT, 300);
        long started = System.nanoTime();
        JsonObject e = call("failure", "sql", "select sum(rand()) from system_range(1, 100000), system_range(1, 100000)").getAsJsonObject();
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals("DB_ERROR", e.get("code").getAsString());
        assertEquals("57014", e.get("sqlState").getAsString(), e.toString());
        assertTrue(e.get("message").getAsString().contains("dbQueryTimeoutMs"), e.toString());
        assertTrue(ms < 5000, "cancelled after " + ms + " ms");
    }
}
