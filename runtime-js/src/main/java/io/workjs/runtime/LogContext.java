package io.workjs.runtime;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a log line is about, where known: the connection, the controller file and its line. It
 * travels as the log record's parameter, so the human format ignores it and the JSON format
 * (CONF {@code logFormat}) writes it as fields of their own.
 *
 * @param connection a connection id, or null
 * @param file       a site-relative file such as {@code chat.ws}, or null
 * @param line       a line of that file, or 0 when unknown
 */
public record LogContext(String connection, String file, int line) {

    /** Logs {@code message} with this context attached. */
    public void log(Logger logger, Level level, String message) {
        if (!logger.isLoggable(level)) return;
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger.getName());
        record.setParameters(new Object[] {this});
        logger.log(record);
    }

    /** A line about one connection. */
    public static void connection(Logger logger, Level level, String connection, String message) {
        new LogContext(connection, null, 0).log(logger, level, message);
    }

    /** The context a record carries, or null. */
    public static LogContext of(LogRecord record) {
        Object[] parameters = record.getParameters();
        return parameters != null && parameters.length == 1 && parameters[0] instanceof LogContext context ? context : null;
    }
}
