package io.workjs.runtime;

import com.google.gson.Gson;
import io.workjs.runtime.internal.Engines;
import io.workjs.runtime.internal.EventLoop;
import io.workjs.runtime.internal.JsErrors;
import io.workjs.runtime.internal.JsPeer;
import io.workjs.runtime.internal.JsonDepth;
import io.workjs.runtime.internal.Sandbox;
import io.workjs.runtime.internal.Watchdog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Runs the `.ws` controllers of one site on one JavaScript event loop. The transport calls
 * {@link #open}, {@link #message} and {@link #closed} from any thread; they only queue work and
 * return at once. All JavaScript runs on the loop thread.
 */
public final class JsRuntime implements AutoCloseable {
    private static final Gson GSON = new Gson();

    private final Path siteDir;
    private final RuntimeLimits limits;
    private final Watchdog watchdog;
    private final EventLoop loop;
    private final Sandbox sandbox;
    private final Value load;
    private final Value open;
    private final Value message;
    private final Value closed;
    private final Value interrupted;
    /** Each open connection's record in runtime.js; touched only on the loop thread. */
    private final Map<Peer, Value> records = new IdentityHashMap<>();

    private JsRuntime(Path siteDir, RuntimeLimits limits, SessionData sessions) {
        this.siteDir = siteDir.toAbsolutePath().normalize();
        this.limits = limits;
        watchdog = new Watchdog(limits.callTimeoutMillis());
        loop = new EventLoop("workjs-js", watchdog);
        String limitsJson = GSON.toJson(Map.of("maxJsonDepth", limits.maxJsonDepth(), "maxNameLength", limits.maxNameLength(),
                "callsPerSecond", limits.callsPerSecond(), "callBurst", limits.callBurst()));
        sandbox = loop.call(() -> Sandbox.create(siteDir, loop, watchdog, limitsJson, sessions));
        Value api = sandbox.api();
        load = api.getMember("load");
        open = api.getMember("open");
        message = api.getMember("message");
        closed = api.getMember("closed");
        interrupted = api.getMember("interrupted");
    }

    /** Starts a runtime for the site directory with the default limits and no session store. */
    public static JsRuntime start(Path siteDir) {
        return start(siteDir, RuntimeLimits.DEFAULTS, SessionData.NONE);
    }

    /**
     * Starts a runtime with these bounds, whose {@code this.sess} keeps its data in
     * {@code sessions} (called on the loop thread).
     */
    public static JsRuntime start(Path siteDir, RuntimeLimits limits, SessionData sessions) {
        return new JsRuntime(siteDir, limits, sessions);
    }

    /** {@code compiled} or {@code interpreted (reason)}: whether the Graal JIT is on. */
    public static String jitStatus() {
        return Engines.jitStatus();
    }

    /** Loads a controller; never throws for a broken file, see {@link Controller#error()}. */
    public Controller load(Path wsFile) {
        String name = siteDir.relativize(wsFile.toAbsolutePath().normalize()).toString().replace('\\', '/');
        if (!Files.isRegularFile(wsFile)) return new Controller(name, List.of(), name + ": file not found");
        String file;
        String source;
        try {
            file = sandbox.relative(wsFile);
            source = Files.readString(wsFile);
        } catch (IOException | IllegalArgumentException e) {
            return new Controller(name, List.of(), name + ": cannot read: " + e.getMessage());
        }
        return loop.call(() -> {
            try {
                String names = load.execute(file, source).asString();
                return new Controller(file, names.isEmpty() ? List.of() : Arrays.asList(names.split(",")), null);
            } catch (PolyglotException e) {
                return new Controller(file, List.of(), JsErrors.describe(e));
            }
        });
    }

    /** A connection to a route of this controller was upgraded: runs init() on the loop. */
    public void open(Peer peer, Controller controller, Map<String, String> context) {
        open(peer, controller, context, null);
    }

    /** As {@link #open(Peer, Controller, Map)}, for a connection of session {@code sessionId} (null: anonymous). */
    public void open(Peer peer, Controller controller, Map<String, String> context, String sessionId) {
        String contextJson = GSON.toJson(context);
        JsPeer jsPeer = new JsPeer(peer);
        loop.post(() -> {
            // an init() stopped by the watchdog still leaves its record, so that close releases its session
            Value record = guarded(() -> open.execute(peer.id(), controller.file(), jsPeer, contextJson, sessionId));
            if (record != null && !record.isNull()) records.put(peer, record);
        });
    }

    /** A text frame arrived on the connection; its nesting is measured here, off the loop. */
    public void message(Peer peer, String text) {
        boolean tooDeep = JsonDepth.exceeds(text, limits.maxJsonDepth());
        loop.post(() -> {
            Value record = records.get(peer);
            if (record != null) guarded(() -> message.execute(record, text, tooDeep));
        });
    }

    /** The connection closed, for any reason: the member leaves its group, then exit() runs. */
    public void closed(Peer peer) {
        loop.post(() -> {
            Value record = records.remove(peer);
            if (record != null) guarded(() -> closed.execute(record));
        });
    }

    /**
     * Runs a call into runtime.js and returns its result; when the watchdog interrupted it,
     * runtime.js answers for the task that was stopped (TIMEOUT to the caller, 1011 for init())
     * and the result is the stopped task's connection record.
     */
    private Value guarded(Supplier<Value> call) {
        try {
            return call.get();
        } catch (PolyglotException e) {
            if (!e.isInterrupted()) throw e;
            watchdog.settle();
            return interrupted.execute(watchdog.limitMillis());
        }
    }

    /** Stops timers and the loop; queued work is finished or dropped within two seconds. */
    @Override
    public void close() {
        try {
            loop.call(() -> {
                sandbox.close();
                return null;
            });
        } catch (RuntimeException ignored) {
            // the loop is already stopping; the daemon thread ends with the process
        }
        loop.shutdown(2000);
        watchdog.close();
    }
}
