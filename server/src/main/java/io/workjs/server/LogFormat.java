package io.workjs.server;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record: time, level, logger, message (and a stack trace when there is one). */
final class LogFormat extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    // JUL keeps loggers weakly: hold the quieted ones so their levels stick.
    private static final Logger[] QUIET = {
        Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"), Logger.getLogger("org.jboss")};

    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new LogFormat());
        console.setLevel(Level.ALL);
        root.addHandler(console);
        // Undertow and XNIO speak at INFO about their own versions; only their warnings matter here.
        for (Logger quiet : QUIET) quiet.setLevel(Level.WARNING);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder line = new StringBuilder()
                .append(TIME.format(LocalTime.now())).append(' ')
                .append(r.getLevel() == Level.SEVERE ? "ERROR" : r.getLevel() == Level.WARNING ? "WARN" : r.getLevel().getName())
                .append(' ').append(r.getLoggerName()).append(": ").append(formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }
}
