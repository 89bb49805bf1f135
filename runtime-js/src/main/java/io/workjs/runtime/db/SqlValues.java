package io.workjs.runtime.db;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Values between JavaScript and JDBC, one mapping for both databases (docs/DATABASE.md):
 * numbers that a JavaScript number holds exactly stay numbers, and bigger ones become strings
 * with every digit; timestamps become Dates, a {@code date} or {@code time} its ISO text;
 * {@code json}/{@code jsonb} the parsed value; binary a Uint8Array. Rows cross to JavaScript
 * as JSON text, which the loop parses in one go; Dates and binary are marked per column for
 * db.js to revive.
 */
public final class SqlValues {
    /** Largest integer a JavaScript number holds exactly: 2^53. */
    private static final long SAFE = 1L << 53;
    private static final HexFormat HEX = HexFormat.of();

    /** A value to bind as JSON text ({@code jsonb} on PostgreSQL, {@code FORMAT JSON} on H2). */
    public record Json(String text) {
    }

    private SqlValues() {
    }

    /** Binds {@code value} (null, Boolean, Long, Double, BigDecimal, String, Instant, byte[] or {@link Json}) as parameter {@code i}. */
    static void bind(PreparedStatement ps, int i, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(i, Types.NULL);
            case Boolean b -> ps.setBoolean(i, b);
            case Long l -> ps.setLong(i, l);
            case Double d -> ps.setDouble(i, d);
            case BigDecimal d -> ps.setBigDecimal(i, d);
            case String s -> ps.setString(i, s);
            case Instant t -> ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            case byte[] b -> ps.setBytes(i, b);
            case Json j -> ps.setString(i, j.text());
            default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getSimpleName());
        }
    }

    /** A column's kind: how its values are read and, for Dates and binary, revived in JavaScript. */
    enum Kind { BOOLEAN, INTEGER, BIGINT, FLOAT, DECIMAL, TEXT, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BINARY, JSON, ARRAY }

    static Kind kind(ResultSetMetaData meta, int column) throws SQLException {
        String name = String.valueOf(meta.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
        if (name.equals("json") || name.equals("jsonb")) return Kind.JSON;
        if (name.equals("uuid")) return Kind.TEXT;
        return switch (meta.getColumnType(column)) {
            case Types.BIT, Types.BOOLEAN -> Kind.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> Kind.INTEGER;
            case Types.BIGINT -> Kind.BIGINT;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.FLOAT;
            case Types.NUMERIC, Types.DECIMAL -> Kind.DECIMAL;
            case Types.DATE -> Kind.DATE;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> Kind.TIME;
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMPTZ;
            // JAVA_OBJECT too: read as its bytes, never deserialised
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB, Types.JAVA_OBJECT -> Kind.BINARY;
            case Types.ARRAY -> Kind.ARRAY;
            default -> Kind.TEXT;
        };
    }

    /** Writes column {@code column} of the current row as JSON. */
    static void write(JsonWriter out, ResultSet rs, int column, Kind kind) throws SQLException, IOException {
        switch (kind) {
            case BOOLEAN -> {
                boolean b = rs.getBoolean(column);
                if (rs.wasNull()) out.nullValue();
                else out.value(b);
            }
            case INTEGER -> {
                int n = rs.getInt(column);
                if (rs.wasNull()) out.nullValue();
                else out.value(n);
            }
            case BIGINT -> {
                long n = rs.getLong(column);
                if (rs.wasNull()) out.nullValue();
                else if (n >= -SAFE && n <= SAFE) out.value(n);
                else out.value(Long.toString(n));
            }
            case FLOAT -> {
                double d = rs.getDouble(column);
                if (rs.wasNull()) out.nullValue();
                else if (Double.isFinite(d)) out.value(d);
                else out.value(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
            case DECIMAL -> decimal(out, rs.getBigDecimal(column));
            case DATE -> {
                LocalDate d = rs.getObject(column, LocalDate.class);
                out.value(d == null ? null : d.toString());
            }
            case TIME -> {
                LocalTime t = rs.getObject(column, LocalTime.class);
                out.value(t == null ? null : t.toString());
            }
            case TIMESTAMP -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                out.value(t == null ? null : t.toInstant(ZoneOffset.UTC).toString());
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                out.value(t == null ? null : t.toInstant().toString());
            }
            case BINARY -> {
                byte[] b = rs.getBytes(column);
                out.value(b == null ? null : HEX.formatHex(b));
            }
            case JSON -> {
                String text = rs.getString(column);
                if (text == null) out.nullValue();
                else out.jsonValue(text);
            }
            case ARRAY -> array(out, rs.getArray(column));
            case TEXT -> out.value(rs.getString(column));
        }
    }

    /** A NUMERIC as a number when a JavaScript number says it exactly (its shortest form is the same value), else as a string of all its digits. */
    private static void decimal(JsonWriter out, BigDecimal d) throws IOException {
        if (d == null) {
            out.nullValue();
            return;
        }
        double approx = d.doubleValue();
        if (Double.isFinite(approx) && new BigDecimal(Double.toString(approx)).compareTo(d) == 0) {
            if (approx == Math.rint(approx) && Math.abs(approx) <= SAFE) out.value((long) approx);
            else out.value(approx);
        } else {
            out.value(d.toPlainString());
        }
    }

    private static void array(JsonWriter out, Array a) throws SQLException, IOException {
        if (a == null) {
            out.nullValue();
            return;
        }
        try (ResultSet rs = a.getResultSet()) {
            Kind kind = kind(rs.getMetaData(), 2);
            out.beginArray();
            while (rs.next()) write(out, rs, 2, kind);
            out.endArray();
        } finally {
            a.free();
        }
    }
}
