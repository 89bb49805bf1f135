package io.workjs.runtime.internal;

import io.workjs.runtime.LogContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * What the JavaScript half of the runtime may ask of Java: logging, compiling site files,
 * reading required modules and timers here; groups and sessions through the objects in its
 * fields, one per service. Every method runs on the loop thread. A failure meant for JavaScript
 * is thrown as a real {@code Error} with a {@code code} ({@link LoopPromises#thrown}).
 */
public final class Host {
    private static final Logger JS_LOG = Logger.getLogger("workjs.js");

    /** The group bus, as JavaScript uses it. */
    @HostAccess.Export
    public final JsGroups groups;
    /** The session store, as JavaScript uses it. */
    @HostAccess.Export
    public final JsSessions sessions;
    /** The database, as JavaScript uses it. */
    @HostAccess.Export
    public final JsDatabase db;

    private final EventLoop loop;
    private final Guard guard;
    private final ModuleFiles files;
    private final LoopPromises promises;
    private final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
    private Context context;
    private int nextTimer = 1;

    Host(EventLoop loop, Guard guard, ModuleFiles files, LoopPromises promises, JsGroups groups, JsSessions sessions,
            JsDatabase db) {
        this.loop = loop;
        this.guard = guard;
        this.files = files;
        this.promises = promises;
        this.groups = groups;
        this.sessions = sessions;
        this.db = db;
    }
    void attach(Context context) {
        this.context = context;
    }

    /** A monotonic clock in milliseconds with a fraction (System.nanoTime): the runtime times calls with it for /metrics. */
    @HostAccess.Export
    public double clock() {
        return System.nanoTime() / 1e6;
    }

    @HostAccess.Export
    public void log(String file, String level, String message) {
        log(file, level, message, 0, null);
    }

    /** A line from {@code file}, with its line there (0: unknown) and the connection whose task logged it (or null). */
    @HostAccess.Export
    public void log(String file, String level, String message, int line, String connection) {
        Level l = switch (level) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        };
        new LogContext(connection, file, line).log(JS_LOG, l, "[" + file + "] " + message);
    }

    /**
     * Evaluates a wrapped module. On a syntax error the file is parsed alone, and that error is
     * thrown instead: it points at the file's own line, not into the wrapper's closing lines.
     */
    @HostAccess.Export
    public Value compile(String file, String wrapped, String original) {
        try {
            return context.eval(Source.newBuilder("js", wrapped, file).buildLiteral());
        } catch (PolyglotException e) {
            if (e.isSyntaxError()) {
                try {
                    context.parse(Source.newBuilder("js", original, file).buildLiteral());
                } catch (PolyglotException exact) {
                    if (exact.isSyntaxError()) throw exact;
                }
            }
            throw e;
        }
    }

    @HostAccess.Export
    public String resolveModule(String fromFile, String spec) {
        try {
            return files.resolve(fromFile, spec);
        } catch (ModuleFiles.ModuleException e) {
            throw promises.thrown(e.code(), e.getMessage());
        }
    }

    @HostAccess.Export
    public String readModule(String file) {
        try {
            return files.read(file);
        } catch (ModuleFiles.ModuleException e) {
            throw promises.thrown(e.code(), e.getMessage());
        }
    }

    @HostAccess.Export
    public int setTimer(Value callback, double delayMillis, boolean repeat) {
        int id = nextTimer++;
        long delay = (long) Math.min(delayMillis, Integer.MAX_VALUE);
        timers.put(id, loop.schedule(() -> fire(id, callback, repeat), delay, repeat));
        return id;
    }

    @HostAccess.Export
    public void clearTimer(int id) {
        ScheduledFuture<?> timer = timers.remove(id);
        if (timer != null) timer.cancel(false);
    }

    private void fire(int id, Value callback, boolean repeat) {
        if (!repeat) timers.remove(id);
        else if (!timers.containsKey(id)) return;   // cleared while this run was queued
        try {
            guard.run(callback::executeVoid);
        } catch (PolyglotException e) {
            JS_LOG.severe("timer callback failed: " + JsErrors.describe(e));
        }
    }

    /** Number of live timers; for tests and diagnostics. */
    int timerCount() {
        return timers.size();
    }

    void cancelTimers() {
        timers.values().forEach(t -> t.cancel(false));
        timers.clear();
    }
}
