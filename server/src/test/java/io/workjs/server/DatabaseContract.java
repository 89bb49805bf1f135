package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code this.db} does on every database: the same site (sites/db), the same SQL, the same
 * answers. {@link EmbeddedDatabaseTest} runs it on the embedded database and
 * {@link PostgresDatabaseTest} on a real PostgreSQL.
 */
abstract class DatabaseContract {
    private final AtomicInteger seq = new AtomicInteger();
    protected TestSite site;
    protected WsClient db;

    /** Starts sites/db on this backend. */
    protected abstract TestSite startSite();

    /** Stops the server and starts it again on the same database. */
    protected abstract void restartKeepingData();

    /** The SQLSTATE this database gives for a table that does not exist (its own, passed on as it is). */
    protected abstract String undefinedTable();

    @BeforeEach
    void start() {
        site = startSite();
        db = site.connect("/db");
    }

    @AfterEach
    void stop() {
        if (db != null) db.close();
        if (site != null) site.close();
    }

    /** Calls {@code name(param)} on /db and returns the result; fails the test on an error reply. */
    protected JsonElement call(String name, Object... keyValues) {
        JsonArray reply = JsonParser.parseString(db.call(frame(name, keyValues))).getAsJsonArray();
        assertEquals(3, reply.size(), "an error reply: " + reply);
        return reply.get(1);
    }

    /** The error reply's {code, message} of a call expected to fail. */
    protected JsonObject callFails(String name, Object... keyValues) {
        JsonArray reply = JsonParser.parseString(db.call(frame(name, keyValues))).getAsJsonArray();
        assertEquals(4, reply.size(), "expected an error reply: " + reply);
        return reply.get(3).getAsJsonObject();
    }

    protected String frame(String name, Object... keyValues) {
        JsonObject p = new JsonObject();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            p.add((String) keyValues[i], v instanceof JsonElement e ? e : JsonParser.parseString(new com.google.gson.Gson().toJson(v)));
        }
        JsonArray f = new JsonArray();
        f.add(name);
        f.add(p);
        f.add(seq.incrementAndGet());
        return f.toString();
    }

    protected static JsonObject params(Object... keyValues) {
        JsonObject p = new JsonObject();
        for (int i = 0; i + 1 < keyValues.length; i += 2) p.add((String) keyValues[i], new com.google.gson.Gson().toJsonTree(keyValues[i + 1]));
        return p;
    }

    @Test
    void rowsAreObjectsKeyedByLowerCaseLabelsAndNamedBindsAreBound() {
        call("rows", "sql", "insert into notes (owner, text, stars) values (:owner, :text, :stars)",
                "params", params("owner", "ann", "text", "first", "stars", 3));
        JsonArray rows = call("rows", "sql", "SELECT Owner, TEXT, stars FROM notes WHERE owner = :owner",
                "params", params("owner", "ann")).getAsJsonArray();
        assertEquals("[{\"owner\":\"ann\",\"text\":\"first\",\"stars\":3}]", rows.toString());
        assertEquals(rows, call("query", "sql", "select owner, text, stars from notes where owner = :owner", "params", params("owner", "ann")));
    }

    @Test
    void oneOnlyAndEachAnswerAsWorkJsDid() {
        for (String text : new String[] {"a", "b", "c"}) {
            call("rows", "sql", "insert into notes (owner, text) values ('bo', :text)", "params", params("text", text));
        }
        assertEquals("{\"text\":\"a\"}", call("one", "sql", "select text from notes where owner = 'bo' order by note_id").toString());
        assertEquals("null", call("one", "sql", "select text from notes where owner = 'nobody'").toString());
        assertEquals(3, call("only", "sql", "select count(*) from notes where owner = :o", "params", params("o", "bo")).getAsInt());
        assertEquals("null", call("only", "sql", "select text from notes where owner = 'nobody'").toString());
        JsonObject each = call("each", "sql", "select text from notes where owner = 'bo' order by note_id").getAsJsonObject();
        assertEquals(3, each.get("n").getAsInt());
        assertEquals("[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\"}]", each.get("seen").toString());
        assertEquals(3, call("fromModule").getAsInt(), "require('workjs').db is the same database");
    }

    @Test
    void thePromiseFormsAnswerTheSame() {
        call("rows", "sql", "insert into notes (owner, text) values ('cy', 'x')");
        assertEquals("[{\"text\":\"x\"}]", call("rowsLater", "sql", "select text from notes where owner = :o", "params", params("o", "cy")).toString());
        assertEquals("{\"owner\":\"cy\"}", call("oneLater", "sql", "select owner from notes where owner = 'cy'").toString());
        assertEquals(1, call("onlyLater", "sql", "select count(*) from notes where owner = 'cy'").getAsInt());
    }

    @Test
    void castsStringsAndCommentsKeepTheirColons() {
        JsonObject row = call("one", "sql", """
                select ':notabind' as quoted, 5::integer as five, :real as bound, :n::integer + 1 as cast_bind -- :comment
                /* :block */""", "params", params("real", "yes", "n", "41")).getAsJsonObject();
        assertEquals("{\"quoted\":\":notabind\",\"five\":5,\"bound\":\"yes\",\"cast_bind\":42}", row.toString());
    }

    @Test
    void anInjectionThroughABoundValueIsStoredVerbatim() {
        String evil = "x'); DROP TABLE notes; --";
        call("rows", "sql", "insert into notes (owner, text) values ('eve', :text)", "params", params("text", evil));
        assertEquals(evil, call("only", "sql", "select text from notes where owner = 'eve'").getAsString());
        assertEquals(1, call("only", "sql", "select count(*) from notes").getAsInt(), "the table is still there");
    }

    @Test
    void everyKindOfValueMapsAsDocumented() {
        JsonObject r = call("types", "big", "9007199254740993", "dec", "12345678901234567890.123", "at", "2026-11-30T12:34:56.789Z",
                "day", "2026-11-30").getAsJsonObject();
        JsonObject row = r.getAsJsonObject("row");
        assertEquals(42, row.get("n").getAsInt());
        assertEquals("9007199254740993", row.get("big").getAsString(), "a bigint past 2^53 keeps every digit, as a string");
        assertEquals(1.5, row.get("real_n").getAsDouble());
        assertEquals("12345678901234567890.1230000000", row.get("dec").getAsString());
        assertEquals("text", row.get("t").getAsString());
        assertEquals("2026-11-30T12:34:56.789Z", r.get("at").getAsString(), "a timestamp comes back as the same instant");
        assertEquals("2026-11-30", row.get("on_day").getAsString());
        assertEquals("{\"a\":[1,\"two\",null],\"b\":{\"c\":true}}", row.get("doc").toString());
        assertEquals("[0,1,254,255]", r.get("raw").toString());
        assertEquals("{\"n\":\"number\",\"big\":\"string\",\"real_n\":\"number\",\"dec\":\"string\",\"t\":\"string\",\"flag\":\"boolean\","
                + "\"at\":\"Date\",\"on_day\":\"string\",\"doc\":\"object\",\"raw\":\"Uint8Array\"}", r.get("kinds").toString());
    }

    @Test
    void anSqlErrorIsADbErrorWithItsSqlState() {
        JsonObject e = call("failure", "sql", "select * from no_such_table").getAsJsonObject();
        assertEquals("DB_ERROR", e.get("code").getAsString());
        assertEquals(undefinedTable(), e.get("sqlState").getAsString(), e.toString());
        assertTrue(e.get("message").getAsString().contains("no_such_table"), e.toString());
        JsonObject later = call("failureLater", "sql", "select * from no_such_table").getAsJsonObject();
        assertEquals("DB_ERROR", later.get("code").getAsString());
        assertEquals(undefinedTable(), later.get("sqlState").getAsString());
        JsonObject uncaught = callFails("rows", "sql", "select * from no_such_table");
        assertEquals("DB_ERROR", uncaught.get("code").getAsString(), "an uncaught one reaches the caller with its code");
        JsonObject missing = call("failure", "sql", "select :absent").getAsJsonObject();
        assertEquals("DB_ERROR", missing.get("code").getAsString());
        assertTrue(missing.get("message").getAsString().contains(":absent"), missing.toString());
    }

    @Test
    void aTransactionCommitsWhenItsFunctionReturnsAndRollsBackWhenItThrows() {
        assertEquals(1, call("commit", "owner", "tx", "text", "kept").getAsInt());
        assertEquals("changed my mind", call("rollback", "owner", "tx", "text", "lost").getAsString());
        assertEquals("changed my mind later", call("rollbackLater", "owner", "tx", "text", "lost").getAsString());
        assertEquals(2, call("commitLater", "owner", "tx", "text", "kept too").getAsInt());
        assertEquals("[{\"text\":\"kept\"},{\"text\":\"kept too\"}]",
                call("rows", "sql", "select text from notes where owner = 'tx' order by note_id").toString());
    }

    @Test
    void migrationsApplyOnceAndDataOutlivesARestart() {
        call("rows", "sql", "insert into notes (owner, text) values ('kept', 'across a restart')");
        restartKeepingData();
        assertEquals("across a restart", call("only", "sql", "select text from notes where owner = 'kept'").getAsString());
        assertEquals("[{\"version\":\"1\",\"success\":true},{\"version\":\"2\",\"success\":true},{\"version\":\"3\",\"success\":true}]",
                call("rows", "sql", "select version, success from flyway_schema_history where version is not null order by installed_rank").toString(),
                "each file once, in order");
    }

    @Test
    void theWorkshopChatStoresAndListsMessages() {
        try (WsClient chat = site.connect("/chat/lobby")) {
            // the event reaches the group (this connection too) before the call's reply
            assertEquals("[\"said\",{\"message_id\":1,\"name\":\"ann\",\"text\":\"hello\"}]",
                    chat.call("[\"say\",{\"name\":\"ann\",\"text\":\"hello\"},1]"));
            assertEquals("[\"_rpc\",1,1]", chat.next(), "only() gives the id that insert ... returning made");
            chat.call("[\"say\",{\"name\":\"bo\",\"text\":\"hi ann\"},2]");
            assertEquals("[\"_rpc\",2,2]", chat.next());
            JsonArray history = JsonParser.parseString(chat.call("[\"history\",null,3]")).getAsJsonArray().get(1).getAsJsonArray();
            assertEquals(2, history.size());
            assertEquals("hi ann", history.get(0).getAsJsonObject().get("text").getAsString());
            assertTrue(history.get(0).getAsJsonObject().get("created").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), history.toString());
        }
    }
}
