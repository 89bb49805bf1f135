package io.workjs.server;

import com.google.gson.stream.JsonWriter;
import io.workjs.runtime.LogContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log's two formats (CONF {@code logFormat}). Human, the default: one line per record,
 * time, level, logger, message, and a stack trace when there is one. JSON: one object per
 * line with {@code time} (UTC, ISO 8601), {@code level}, {@code logger}, {@code message}, and
 * where known {@code connection}, {@code controller}, {@code line}, {@code node} and
 * {@code error} (the stack trace). docs/DEPLOYMENT.md shows both.
 */
final class LogFormat extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    // JUL keeps loggers weakly: hold the quieted ones so their levels stick.
    private static final Logger[] QUIET = {
        Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"), Logger.getLogger("org.jboss")};
    private static final ConsoleHandler CONSOLE = new ConsoleHandler();
    /** This node's name in a cluster, for the JSON format's {@code node}; null alone. */
    private static volatile String node;

    private final boolean json;

    private LogFormat(boolean json) {
        this.json = json;
    }

    /** Human lines on stderr, until {@link #json} is called. */
    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        CONSOLE.setFormatter(new LogFormat(false));
        CONSOLE.setLevel(Level.ALL);
        root.addHandler(CONSOLE);
        // Undertow and XNIO speak at INFO about their own versions; only their warnings matter here.
        for (Logger quiet : QUIET) quiet.setLevel(Level.WARNING);
    }

    /** From now on, one JSON object per line. */
    static void json() {
        CONSOLE.setFormatter(new LogFormat(true));
    }

    /** The node name the JSON lines carry from now on. */
    static void node(String name) {
        node = name;
    }

    @Override
    public String format(LogRecord r) {
        return json ? jsonLine(r) : humanLine(r);
    }

    private String humanLine(LogRecord r) {
        StringBuilder line = new StringBuilder()
                .append(TIME.format(LocalTime.now())).append(' ')
                .append(level(r.getLevel()))
                .append(' ').append(r.getLoggerName()).append(": ").append(message(r)).append('\n');
        if (r.getThrown() != null) line.append(trace(r.getThrown()));
        return line.toString();
    }

    private String jsonLine(LogRecord r) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject();
            w.name("time").value(Instant.ofEpochMilli(r.getMillis()).toString());
            w.name("level").value(level(r.getLevel()));
            w.name("logger").value(r.getLoggerName());
            w.name("message").value(message(r));
            LogContext context = LogContext.of(r);
            if (context != null) {
                if (context.connection() != null) w.name("connection").value(context.connection());
                if (context.file() != null) w.name("controller").value(context.file());
                if (context.line() > 0) w.name("line").value(context.line());
            }
            String name = node;
            if (name != null) w.name("node").value(name);
            if (r.getThrown() != null) w.name("error").value(trace(r.getThrown()));
            w.endObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);   // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    /** The message; a context parameter is not a MessageFormat argument, so it is left alone. */
    private String message(LogRecord r) {
        return LogContext.of(r) != null ? r.getMessage() : formatMessage(r);
    }

    private static String level(Level level) {
        if (level == Level.SEVERE) return "ERROR";
        if (level == Level.WARNING) return "WARN";
        if (level == Level.FINE || level == Level.FINER || level == Level.FINEST) return "DEBUG";
        return level.getName();
    }

    private static String trace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
