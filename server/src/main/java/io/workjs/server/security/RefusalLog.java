package io.workjs.server.security;

import java.util.logging.Logger;

/**
 * Logs refused upgrades without letting a flood of them fill the disk: at most
 * {@link #LINES_PER_SECOND} lines a second, and the next line says how many were left out.
 */
final class RefusalLog {
    /** Refusals logged per second; the rest are counted. */
    static final int LINES_PER_SECOND = 10;

    private final Logger log;
    private long second;
    private int lines;
    private long suppressed;

    RefusalLog(Logger log) {
        this.log = log;
    }

    synchronized void refused(String line) {
        long now = System.nanoTime() / 1_000_000_000L;
        if (now != second) {
            second = now;
            lines = 0;
        }
        if (lines >= LINES_PER_SECOND) {
            suppressed++;
            return;
        }
        lines++;
        if (suppressed > 0) {
            line += " (" + suppressed + " more refusals not logged)";
            suppressed = 0;
        }
        log.warning(line);
    }
}
