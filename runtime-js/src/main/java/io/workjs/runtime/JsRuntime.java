package io.workjs.runtime;

import com.google.gson.Gson;
import io.workjs.runtime.internal.Engines;
import io.workjs.runtime.internal.EventLoop;
import io.workjs.runtime.internal.InboundBudget;
import io.workjs.runtime.internal.JsErrors;
import io.workjs.runtime.internal.Sandbox;
import io.workjs.runtime.internal.Watchdog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Runs the `.ws` controllers of one site on one JavaScript event loop. The transport reports its
 * connections through {@link ConnectionEvents}, from any thread; that only queues work. All
 * JavaScript runs on the loop thread. Everything the runtime uses from outside comes in one
 * {@link RuntimeServices}.
 */
public final class JsRuntime implements ConnectionEvents, AutoCloseable {
    private static final Gson GSON = new Gson();

    private final Path siteDir;
    private final Watchdog watchdog;
    private final EventLoop loop;
    private final Sandbox sandbox;
    private final Value load;

    private JsRuntime(Path siteDir, RuntimeLimits limits, RuntimeServices services) {
        this.siteDir = siteDir.toAbsolutePath().normalize();
        watchdog = new Watchdog(limits.callTimeoutMillis(), services.metrics());
        InboundBudget budget = new InboundBudget(limits);
        loop = new EventLoop("workjs-js", watchdog, services.metrics(), services.batches(), budget::afterBatch);
        sandbox = loop.call(() -> Sandbox.create(siteDir, loop, watchdog, budget, limits, services));
        load = sandbox.api().getMember("load");
    }

    /** Starts a runtime for the site directory with the default limits and services. */
    public static JsRuntime start(Path siteDir) {
        return start(siteDir, RuntimeLimits.DEFAULTS, RuntimeServices.defaults());
    }

    /** Starts a runtime with these bounds and services. */
    public static JsRuntime start(Path siteDir, RuntimeLimits limits, RuntimeServices services) {
        return new JsRuntime(siteDir, limits, services);
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

    /**
     * Development mode: when one of {@code files} (site-relative) is a module a controller
     * required, every module is forgotten, and what their top-level code set up undone; true
     * then, and each controller should be loaded again ({@link #load}) to use the new code.
     */
    public boolean forgetModules(Collection<String> files) {
        String json = GSON.toJson(files);
        return loop.call(() -> sandbox.api().getMember("forget").execute(json).asBoolean());
    }

    /** The site-relative files of the controllers loaded so far. */
    public List<String> controllers() {
        String json = loop.call(() -> sandbox.api().getMember("loaded").execute().asString());
        return Arrays.asList(GSON.fromJson(json, String[].class));
    }

    /**
     * Sends {@code text} (a frame) to every open connection of the controllers {@code files}
     * (site-relative), or of all when null: development mode's reload signals. Queued on the loop.
     */
    public void tell(Collection<String> files, String text) {
        String json = files == null ? null : GSON.toJson(files);
        loop.execute(() -> sandbox.api().getMember("tell").execute(json, text));
    }

    @Override
    public Inbound opened(Peer peer, Controller controller, Map<String, String> context, String sessionId) {
        return sandbox.inboxes().open(peer, controller.file(), GSON.toJson(context), sessionId);
    }

    /**
     * On a cluster: a member of another node that died and did not come back has left its
     * group; its controller's exit() runs on this node's loop, with its last reported state as
     * {@code this} and its session (null for none).
     */
    public void exitElsewhere(String groupId, String memberId, String stateJson, String sessionId) {
        sandbox.inboxes().exitElsewhere(groupId, memberId, stateJson, sessionId);
    }

    @Override
    public Inbound restored(Peer peer, String groupId, String stateJson, String sessionId, String after) {
        return sandbox.inboxes().restore(peer, groupId, stateJson, sessionId, after);
    }

    /**
     * The calls so far, as JSON: {@code {"bounds": [seconds...], "controllers": {FILE: {"calls":
     * {FUNCTION: {OUTCOME: n}}, "buckets": [n...], "sum": seconds}}}}, kept only when the services
     * have a metrics registry. Taken on the loop; null when the loop did not answer within
     * {@code timeoutMillis} (a task is running long).
     */
    public String callStats(long timeoutMillis) {
        return loop.callWithin(() -> sandbox.api().getMember("callStats").execute().asString(), timeoutMillis);
    }

    /** Runs {@code probe} on the loop as a task of its own, behind those already waiting (for the loop-lag metric). */
    public void probe(Runnable probe) {
        loop.execute(probe);
    }

        /** Frames waiting for the loop, all connections together; for tests and diagnostics. */
    public int pendingFrames() {
        return sandbox.inboxes().pendingFrames();
    }

    /** Stops timers and the loop; queued work is finished or dropped within {@link EventLoop#SHUTDOWN_MILLIS}. */
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
        loop.shutdown(EventLoop.SHUTDOWN_MILLIS);
        watchdog.close();
    }
}
