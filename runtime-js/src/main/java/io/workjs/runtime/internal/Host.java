package io.workjs.runtime.internal;

import io.workjs.runtime.SessionData;
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
 * reading required modules, timers and group fan-out. Every method runs on the loop thread.
 * Errors meant for JS come back as strings starting with NUL, which runtime.js turns into an
 * Error, because a Java exception would reach JS as an opaque host object.
 */
public final class Host {
    private static final Logger JS_LOG = Logger.getLogger("workjs.js");

    private final EventLoop loop;
    private final ModuleFiles files;
    private final SessionData sessions;
    private final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
    private Context context;
    private int nextTimer = 1;

    Host(EventLoop loop, ModuleFiles files, SessionData sessions) {
        this.loop = loop;
        this.files = files;
        this.sessions = sessions;
    }

    void attach(Context context) {
        this.context = context;
    }

    @HostAccess.Export
    public void log(String file, String level, String message) {
        Level l = switch (level) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        };
        JS_LOG.log(l, "[" + file + "] " + message);
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
            return "\0" + e.getMessage();
        }
    }

    @HostAccess.Export
    public String readModule(String file) {
        try {
            return files.read(file);
        } catch (ModuleFiles.ModuleException e) {
            return "\0" + e.getMessage();
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

    @HostAccess.Export
    public Fanout newFanout() {
        return new Fanout();
    }

    /** The session's data as JSON, {@code "{}"} when nothing is stored, null for the anonymous session. */
    @HostAccess.Export
    public String sessionLoad(String id) {
        try {
            return sessions.load(id);
        } catch (RuntimeException e) {
            JS_LOG.log(Level.SEVERE, "session store: cannot load a session", e);
            return null;   // the anonymous session: never an error page, never someone else's data
        }
    }

    /** Stores the session's data, durably; an empty answer is success, else the NUL-prefixed error. */
    @HostAccess.Export
    public String sessionSave(String id, String json) {
        try {
            if (json == null) sessions.delete(id);
            else sessions.save(id, json);
            return "";
        } catch (RuntimeException e) {
            JS_LOG.log(Level.SEVERE, "session store: cannot write a session", e);
            return "\0session store failed: " + e.getMessage();
        }
    }

    private void fire(int id, Value callback, boolean repeat) {
        if (!repeat) timers.remove(id);
        else if (!timers.containsKey(id)) return;   // cleared while this run was queued
        try {
            callback.executeVoid();
        } catch (PolyglotException e) {
            if (e.isInterrupted()) JS_LOG.severe("a timer callback ran longer than the call timeout and was stopped");
            else JS_LOG.severe("timer callback failed: " + JsErrors.describe(e));
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
