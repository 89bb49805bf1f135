package io.workjs.runtime.db;

import com.google.gson.stream.JsonWriter;
import io.workjs.runtime.ServiceException;
import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one statement on a connection: prepared, every value bound, never spliced into the text;
 * watched (so that a timeout or the call watchdog can cancel it at the database); its rows
 * written as the JSON that db.js parses. Runs on whichever thread calls it: the loop for the
 * synchronous API, a pool thread for the Promise API.
 */
public final class SqlRunner {
    /** What a call wants of the result: every row, the first row, or the first column of the first row. */
    public enum Mode { ROWS, ONE, ONLY }

    /** Something that may cancel a running statement: it is told when one starts, and the returned handle when it ends. */
    public interface Watch {
        AutoCloseable running(Statement statement);
    }

    private SqlRunner() {
    }

    /**
     * Runs {@code sql} with {@code values} on {@code c} and returns
     * {@code {"rows":[...],"first":label,"dates":[labels],"bytes":[labels]}}: the rows as objects
     * keyed by column label, the first column's label, and which columns db.js turns into Dates
     * and Uint8Arrays. A statement without a result set gives no rows.
     */
    public static String run(Connection c, String sql, Object[] values, Mode mode, int maxRows, Watch watch) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) SqlValues.bind(ps, i + 1, values[i]);
            ps.setMaxRows(mode == Mode.ROWS ? maxRows + 1 : 1);
            boolean hasRows;
            try (AutoCloseable watched = watch.running(ps)) {
                hasRows = ps.execute();
                if (!hasRows) return "{\"rows\":[]}";
                try (ResultSet rs = ps.getResultSet()) {
                    return rows(rs, maxRows);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        } catch (ServiceException e) {
            throw e;
        } catch (Exception e) {
            throw new ServiceException("DB_ERROR", String.valueOf(e.getMessage()), e);
        }
    }

    /** The Error JavaScript sees for a database failure: {@code DB_ERROR}, the SQLSTATE, the driver's message. */
    public static ServiceException failure(SQLException e) {
        Map<String, String> details = new HashMap<>();
        if (e.getSQLState() != null) details.put("sqlState", e.getSQLState());
        String message = String.valueOf(e.getMessage());
        return new ServiceException("DB_ERROR", message, e, details);
    }

    private static String rows(ResultSet rs, int maxRows) throws SQLException, IOException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        String[] labels = new String[n];
        SqlValues.Kind[] kinds = new SqlValues.Kind[n];
        for (int i = 0; i < n; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
            kinds[i] = SqlValues.kind(meta, i + 1);
        }
        StringWriter text = new StringWriter();
        JsonWriter out = new JsonWriter(text);
        out.setHtmlSafe(false);
        out.beginObject().name("rows").beginArray();
        int count = 0;
        while (rs.next()) {
            if (++count > maxRows) {
                throw new ServiceException("DB_TOO_MANY_ROWS", "the query returned more than dbMaxRows (" + maxRows
                        + ") rows; add a LIMIT, or raise dbMaxRows in CONF");
            }
            out.beginObject();
            for (int i = 0; i < n; i++) {
                out.name(labels[i]);
                SqlValues.write(out, rs, i + 1, kinds[i]);
            }
            out.endObject();
        }
        out.endArray();
        if (n > 0) out.name("first").value(labels[0]);
        marked(out, "dates", labels, kinds, SqlValues.Kind.TIMESTAMP, SqlValues.Kind.TIMESTAMPTZ);
        marked(out, "bytes", labels, kinds, SqlValues.Kind.BINARY, SqlValues.Kind.BINARY);
        out.endObject().close();
        return text.toString();
    }

    private static void marked(JsonWriter out, String name, String[] labels, SqlValues.Kind[] kinds, SqlValues.Kind a, SqlValues.Kind b)
            throws IOException {
        boolean any = false;
        for (int i = 0; i < labels.length; i++) {
            if (kinds[i] != a && kinds[i] != b) continue;
            if (!any) out.name(name).beginArray();
            any = true;
            out.value(labels[i]);
        }
        if (any) out.endArray();
    }
}
