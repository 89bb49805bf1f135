package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.DatabaseUrl;
import io.workjs.server.support.Await;
import io.workjs.server.support.Postgres;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code this.db} on a real PostgreSQL, started by the test (Debian's postgresql package). */
class PostgresDatabaseTest extends DatabaseContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Postgres postgres;

    @TempDir
    Path temp;
    private String database;

    @BeforeAll
    static void startPostgres() {
        postgres = Postgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Override
    protected TestSite startSite() {
        return startSite(RuntimeLimits.DB_QUERY_TIMEOUT, RuntimeLimits.DB_QUERY_TIMEOUT.defaultValue());
    }

    @Override
    protected void restartKeepingData() {
        db.close();
        site.close();
        String url = "postgres://postgres@127.0.0.1:" + postgres.port() + "/" + database;
        site = TestSite.start("db", temp.resolve(database + "-again"), c -> c.withDatabase(DatabaseUrl.parse(url, "test")));
        db = site.connect("/db");
    }

    @Override
    protected String undefinedTable() {
        return "42P01";
    }

    private TestSite startSite(Object... bounds) {
        database = "site" + DATABASES.incrementAndGet();
        String url = postgres.createDatabase(database);
        return TestSite.start("db", temp.resolve(database), c -> {
            var limits = c.limits();
            for (int i = 0; i + 1 < bounds.length; i += 2) limits = limits.with((io.workjs.runtime.Bound) bounds[i], (Integer) bounds[i + 1]);
            return c.withLimits(limits).withDatabase(DatabaseUrl.parse(url, "test"));
        });
    }

    private void restart(Object... bounds) {
        db.close();
        site.close();
        site = startSite(bounds);
        db = site.connect("/db");
    }

    /** Statements of the site's database running now, as PostgreSQL itself reports them. */
    private List<String> running(String like) {
        List<String> found = new ArrayList<>();
        try (Connection c = postgres.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select query from pg_stat_activity where state = 'active' and query like '" + like
                        + "' and pid <> pg_backend_pid()")) {
            while (rs.next()) found.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    @Test
    void aQueryPastDbQueryTimeoutMsIsCancelledAtTheDatabase() throws Exception {
        restart(RuntimeLimits.DB_QUERY_TIMEOUT, 300);
        long started = System.nanoTime();
        JsonObject e = call("failure", "sql", "select pg_sleep(20)").getAsJsonObject();
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals("57014", e.get("sqlState").getAsString(), e.toString());
        assertTrue(e.get("message").getAsString().contains("dbQueryTimeoutMs"), e.toString());
        assertTrue(ms < 5000, "cancelled after " + ms + " ms");
        Await.until("no sleep left running at the database", () -> running("select pg_sleep%").isEmpty());
    }

    @Test
    void aSynchronousQueryThatOutlivesTheCallWatchdogIsCancelledAtTheDatabase() throws Exception {
        restart(RuntimeLimits.CALL_TIMEOUT, 400);
        long started = System.nanoTime();
        JsonObject e = callFails("rows", "sql", "select pg_sleep(30)");
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals("TIMEOUT", e.get("code").getAsString(), e.toString());
        assertTrue(ms < 5000, "stopped after " + ms + " ms");
        Await.until("no sleep left running at the database", () -> running("select pg_sleep%").isEmpty());
        assertEquals(0, call("only", "sql", "select count(*) from notes").getAsInt(), "the loop and the pool carry on");
    }

    @Test
    void aFloodOfPromiseQueriesFailsFastWithDbBusyPastTheQueue() {
        restart(RuntimeLimits.DB_POOL_SIZE, 1, RuntimeLimits.DB_QUEUE, 2);
        int calls = 20;
        for (int i = 0; i < calls; i++) db.send(frame("failureLater", "sql", "select pg_sleep(0.3)"));
        int busy = 0;
        int ran = 0;
        for (int i = 0; i < calls; i++) {
            String reply = db.next();
            if (reply.contains("DB_BUSY")) busy++;
            else if (reply.startsWith("[\"_rpc\",null,")) ran++;
        }
        assertEquals(calls, busy + ran);
        assertTrue(ran >= 1 && ran <= 3, "one running and at most two waiting: " + ran + " ran");
        assertEquals(calls - ran, busy);
    }

    @Test
    void theUrlFormsOfWorkJsAllReachTheDatabase() {
        for (String form : new String[] {"postgres://postgres@127.0.0.1:%d/%s", "postgresql://postgres:@127.0.0.1:%d/%s",
                "pg://postgres@127.0.0.1:%d/%s", "jdbc:postgresql://127.0.0.1:%d/%s?user=postgres"}) {
            DatabaseUrl url = DatabaseUrl.parse(String.format(form, postgres.port(), database), "test");
            try (Connection c = java.sql.DriverManager.getConnection(url.jdbc(), url.user(), url.password())) {
                assertTrue(c.isValid(2), form);
            } catch (SQLException e) {
                throw new AssertionError(form + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void theWorkshopChatSeesMessagesOfOtherConnections() {
        try (WsClient a = site.connect("/chat/room"); WsClient b = site.connect("/chat/room")) {
            a.call("[\"say\",{\"name\":\"ann\",\"text\":\"one\"},1]");
            assertEquals("[\"said\",{\"message_id\":1,\"name\":\"ann\",\"text\":\"one\"}]", b.next());
            assertTrue(b.call("[\"history\",null,1]").contains("\"text\":\"one\""));
        }
    }
}
