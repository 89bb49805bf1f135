package io.workjs.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.workjs.runtime.Database.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

    private static String jdbc(String sql) {
        return NamedSql.parse(sql, Dialect.POSTGRESQL).jdbc(null, "?");
    }

    @Test
    void namedBindsBecomePlaceholdersInOrderAndARepeatedNameIsBoundTwice() {
        NamedSql sql = NamedSql.parse("select * from m where chat_id = :chat_id and (a = :x or b = :x)", Dialect.POSTGRESQL);
        assertEquals("select * from m where chat_id = ? and (a = ? or b = ?)", sql.jdbc(null, "?"));
        assertEquals(List.of("chat_id", "x", "x"), sql.names());
    }

    @Test
    void castsLiteralsQuotedNamesAndCommentsAreLeftAlone() {
        assertEquals("select ?::int, ':a', E'\\':b', \"c:d\", $$ :e $$, $t$ :f $t$ -- :g\n/* :h /* :i */ */ x",
                jdbc("select :v::int, ':a', E'\\':b', \"c:d\", $$ :e $$, $t$ :f $t$ -- :g\n/* :h /* :i */ */ x"));
        assertEquals("select 'it''s :not' , ?", jdbc("select 'it''s :not' , :yes"));
        assertEquals("select $1, a::text", jdbc("select $1, a::text"));
    }

    @Test
    void anUnterminatedQuoteOrCommentIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> jdbc("select 'open"));
        assertThrows(IllegalArgumentException.class, () -> jdbc("select 1 /* open"));
        assertThrows(IllegalArgumentException.class, () -> jdbc("select $x$ open"));
    }

    @Test
    void onH2ReturningBecomesADataChangeDeltaTable() {
        assertEquals("SELECT message_id, created FROM FINAL TABLE (insert into m (t) values (?))",
                NamedSql.parse("insert into m (t) values (:t) returning message_id, created;", Dialect.H2).jdbc(null, "?"));
        assertEquals("SELECT * FROM OLD TABLE (DELETE FROM m WHERE id = ?)",
                NamedSql.parse("DELETE FROM m WHERE id = :id RETURNING *", Dialect.H2).jdbc(null, "?"));
        assertEquals("select 'returning' from t", NamedSql.parse("select 'returning' from t", Dialect.H2).jdbc(null, "?"));
        assertEquals("insert into t (x) select returning_x from u",
                NamedSql.parse("insert into t (x) select returning_x from u", Dialect.H2).jdbc(null, "?"));
        assertEquals("insert into m (t) values (?) returning id",
                NamedSql.parse("insert into m (t) values (:t) returning id", Dialect.POSTGRESQL).jdbc(null, "?"), "PostgreSQL has RETURNING");
    }

    @Test
    void jsonValuesGetTheDialectsSlot() {
        NamedSql sql = NamedSql.parse("insert into k (doc, t) values (:doc, :t)", Dialect.H2);
        assertEquals("insert into k (doc, t) values (? FORMAT JSON, ?)", sql.jdbc(new boolean[] {true, false}, "? FORMAT JSON"));
    }
}
