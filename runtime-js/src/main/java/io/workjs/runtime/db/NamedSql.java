package io.workjs.runtime.db;

import io.workjs.runtime.Database.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A controller's SQL with {@code :name} bind variables, as WorkJS (OpenACS style) wrote it, turned
 * into JDBC's {@code ?} placeholders and the list of names to bind, in order. A scan that knows
 * SQL's quoting leaves alone what is not a variable: {@code ::type} casts, and {@code :name}
 * inside string literals ({@code '...'}, {@code E'...'}, {@code $tag$...$tag$}), quoted
 * identifiers ({@code "..."}) and comments ({@code -- ...}, nested {@code /* ... * /}).
 *
 * <p>On H2, a top-level {@code RETURNING} clause of an {@code INSERT}, {@code UPDATE} or
 * {@code DELETE}, which H2 lacks, becomes the standard data change delta table that H2 has:
 * {@code SELECT list FROM FINAL TABLE (statement)} ({@code OLD TABLE} for a delete).
 */
public final class NamedSql {
    private final List<String> pieces;   // SQL text around the placeholders: one more than names
    private final List<String> names;

    private NamedSql(List<String> pieces, List<String> names) {
        this.pieces = pieces;
        this.names = names;
    }

    /** The names of the bind variables, in the order of their placeholders (a name used twice appears twice). */
    public List<String> names() {
        return names;
    }

    /** The JDBC text: {@code ?} for each variable, or {@code jsonSlot} for those marked in {@code asJson}. */
    public String jdbc(boolean[] asJson, String jsonSlot) {
        StringBuilder s = new StringBuilder(pieces.get(0));
        for (int i = 0; i < names.size(); i++) {
            s.append(asJson != null && asJson[i] ? jsonSlot : "?").append(pieces.get(i + 1));
        }
        return s.toString();
    }

    /** Parses {@code sql} for {@code dialect}; throws {@link IllegalArgumentException} for an unterminated quote or comment. */
    public static NamedSql parse(String sql, Dialect dialect) {
        String text = dialect == Dialect.H2 ? returningAsDeltaTable(sql) : sql;
        List<String> pieces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        Scanner scan = new Scanner(text);
        while (scan.more()) {
            int start = scan.at;
            if (scan.skipQuotedOrComment()) {
                piece.append(text, start, scan.at);
            } else if (text.charAt(start) == ':' && scan.peek(1) == ':') {
                scan.at += 2;   // a ::type cast
                piece.append("::");
            } else if (text.charAt(start) == ':' && isNameStart(scan.peek(1)) && scan.peekBack(1) != ':') {
                int end = start + 1;
                while (end < text.length() && isNamePart(text.charAt(end))) end++;
                names.add(text.substring(start + 1, end));
                pieces.add(piece.toString());
                piece.setLength(0);
                scan.at = end;
            } else {
                piece.append(text.charAt(start));
                scan.at++;
            }
        }
        pieces.add(piece.toString());
        return new NamedSql(List.copyOf(pieces), List.copyOf(names));
    }

    /**
     * {@code INSERT ... RETURNING a, b} as {@code SELECT a, b FROM FINAL TABLE (INSERT ...)}; any
     * other statement as it is. Only a RETURNING at the top level (outside parentheses, quotes
     * and comments) of a statement that starts with INSERT, UPDATE or DELETE counts.
     */
    static String returningAsDeltaTable(String sql) {
        String verb = firstWord(sql);
        if (!verb.equals("insert") && !verb.equals("update") && !verb.equals("delete")) return sql;
        Scanner scan = new Scanner(sql);
        int depth = 0;
        while (scan.more()) {
            if (scan.skipQuotedOrComment()) continue;
            char c = sql.charAt(scan.at);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && scan.wordAt("returning")) {
                String statement = sql.substring(0, scan.at).strip();
                String list = sql.substring(scan.at + "returning".length()).strip();
                if (list.endsWith(";")) list = list.substring(0, list.length() - 1).strip();
                String table = verb.equals("delete") ? "OLD TABLE" : "FINAL TABLE";
                return "SELECT " + list + " FROM " + table + " (" + statement + ")";
            }
            scan.at++;
        }
        return sql;
    }

    /** The statement's first keyword, in lower case, past blanks, comments and opening parentheses. */
    private static String firstWord(String sql) {
        Scanner scan = new Scanner(sql);
        while (scan.more()) {
            char c = sql.charAt(scan.at);
            if (Character.isWhitespace(c) || c == '(') {
                scan.at++;
            } else if (c == '-' || c == '/') {
                if (!scan.skipQuotedOrComment()) return "";
            } else {
                int end = scan.at;
                while (end < sql.length() && Character.isLetter(sql.charAt(end))) end++;
                return sql.substring(scan.at, end).toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static boolean isNameStart(int c) {
        return c >= 0 && (Character.isLetter(c) || c == '_');
    }

    private static boolean isNamePart(int c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** A position in SQL text that can step over a quoted part or a comment as one unit. */
    private static final class Scanner {
        private final String s;
        int at;

        Scanner(String s) {
            this.s = s;
        }

        boolean more() {
            return at < s.length();
        }

        int peek(int ahead) {
            return at + ahead < s.length() ? s.charAt(at + ahead) : -1;
        }

        int peekBack(int back) {
            return at - back >= 0 ? s.charAt(at - back) : -1;
        }

        /** True when {@code word} starts here as a whole word, in any case. */
        boolean wordAt(String word) {
            int end = at + word.length();
            return s.regionMatches(true, at, word, 0, word.length())
                    && (at == 0 || !isNamePart(s.charAt(at - 1)))
                    && (end >= s.length() || !isNamePart(s.charAt(end)));
        }

        /** Steps over a string literal, quoted identifier, dollar-quoted string or comment starting here; false if none does. */
        boolean skipQuotedOrComment() {
            char c = s.charAt(at);
            if (c == '\'') {
                boolean escapes = at > 0 && (s.charAt(at - 1) == 'E' || s.charAt(at - 1) == 'e')
                        && (at < 2 || !isNamePart(s.charAt(at - 2)));
                at = closing(at + 1, '\'', escapes, "string literal");
            } else if (c == '"') {
                at = closing(at + 1, '"', false, "quoted name");
            } else if (c == '-' && peek(1) == '-') {
                int end = s.indexOf('\n', at);
                at = end < 0 ? s.length() : end + 1;
            } else if (c == '/' && peek(1) == '*') {
                at = blockCommentEnd(at);
            } else if (c == '$' && dollarTag() != null) {
                String tag = dollarTag();
                int end = s.indexOf(tag, at + tag.length());
                if (end < 0) throw new IllegalArgumentException("SQL has an unterminated " + tag + " string");
                at = end + tag.length();
            } else {
                return false;
            }
            return true;
        }

        private int closing(int from, char quote, boolean backslashEscapes, String what) {
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (backslashEscapes && c == '\\') {
                    i++;
                } else if (c == quote) {
                    if (i + 1 < s.length() && s.charAt(i + 1) == quote) i++;   // doubled: part of the text
                    else return i + 1;
                }
            }
            throw new IllegalArgumentException("SQL has an unterminated " + what);
        }

        private int blockCommentEnd(int from) {
            int depth = 0;
            for (int i = from; i < s.length() - 1; i++) {
                if (s.charAt(i) == '/' && s.charAt(i + 1) == '*') {
                    depth++;
                    i++;
                } else if (s.charAt(i) == '*' && s.charAt(i + 1) == '/') {
                    depth--;
                    i++;
                    if (depth == 0) return i + 1;
                }
            }
            throw new IllegalArgumentException("SQL has an unterminated /* comment");
        }

        /** {@code $$} or {@code $tag$} starting here (not a {@code $1} parameter or part of a name), else null. */
        private String dollarTag() {
            if (at > 0 && isNamePart(s.charAt(at - 1))) return null;
            int i = at + 1;
            while (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_' || (i > at + 1 && Character.isDigit(s.charAt(i))))) i++;
            return i < s.length() && s.charAt(i) == '$' ? s.substring(at, i + 1) : null;
        }
    }
}
