package io.workjs.server.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the server's log records (loggers under "workjs") while a test runs. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("workjs");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
    }

    /** Every line so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** True once a line containing {@code text} was logged. */
    public boolean contains(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** Waits up to 10 s for a line containing {@code text} and returns it. */
    public String await(String text) {
        Await.until("a log line containing \"" + text + "\" in " + lines, () -> contains(text));
        return lines.stream().filter(l -> l.contains(text)).findFirst().orElseThrow();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
