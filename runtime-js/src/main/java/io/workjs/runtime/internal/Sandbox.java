package io.workjs.runtime.internal;

import com.google.gson.Gson;
import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.RuntimeLimits;
import io.workjs.runtime.RuntimeServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Logger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The GraalJS context of one site, locked down: no host classes, no Java objects beyond those
 * annotated for JS, no files, processes, threads or native code. Site files reach JS only
 * through {@link Host}. Created and used on the loop thread only.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger JS_LOG = Logger.getLogger("workjs.js");
    /** The parts of the runtime's JavaScript half evaluated before runtime.js, in this order. */
    private static final String[] LIBRARY = {"globals.js", "json.js", "db.js", "modules.js", "sessions.js"};

    private final Context context;
    private final Host host;
    private final ModuleFiles files;
    private final Value api;
    private final Inboxes inboxes;

    private Sandbox(Context context, Host host, ModuleFiles files, Value api, Inboxes inboxes) {
        this.context = context;
        this.host = host;
        this.files = files;
        this.api = api;
        this.inboxes = inboxes;
    }

    /**
     * Builds the context and evaluates the bootstrap (globals.js, json.js, db.js, modules.js, sessions.js, then
     * runtime.js, which gets the limits and close codes as JSON), wired to the services; the
     * watchdog may interrupt the context from then on. Call on the loop thread.
     */
    public static Sandbox create(Path siteDir, EventLoop loop, Watchdog watchdog, InboundBudget budget, RuntimeLimits limits,
            RuntimeServices services) {
        ModuleFiles files = new ModuleFiles(siteDir);
        Context context = Context.newBuilder("js")
                .engine(Engines.shared())
                .allowHostAccess(HostAccess.EXPLICIT)
                .allowHostClassLookup(name -> false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .option("js.unhandled-rejections", "warn")
                .out(new LogStream(false))
                .err(new LogStream(true))
                .build();
        Guard guard = new Guard(watchdog);
        LoopPromises promises = new LoopPromises(loop, guard);
        Host host = new Host(loop, guard, files, promises, new JsGroups(services.groups(), loop::post, promises, services.metrics()),
                new JsSessions(services.sessions(), promises, limits.callTimeoutMillis(), loop::beforeWaiting),
                new JsDatabase(services.database(), limits, promises, watchdog, loop::beforeWaiting));
        host.attach(context);
        Value lib = context.eval("js", "({})");
        for (String part : LIBRARY) {
            Value exports = context.eval(bootstrap(part)).execute(host, lib);
            for (String name : exports.getMemberKeys()) lib.putMember(name, exports.getMember(name));
        }
        promises.attach(lib.getMember("deferred"), lib.getMember("makeError"));
        Value api = context.eval(bootstrap("runtime.js")).execute(host, lib, constants(limits, services.metrics() != io.workjs.runtime.Metrics.NONE));
        guard.attach(api.getMember("interrupted"));
        watchdog.attach(context);
        Inboxes inboxes = new Inboxes(loop, new Dispatch(guard, api), budget, services.metrics(), services.clock(), limits);
        return new Sandbox(context, host, files, api, inboxes);
    }

    /**
     * What runtime.js reads once at start: the limits it reports in messages, the close codes
     * it sends, and whether it keeps call statistics (only for a real metrics registry).
     */
    private static String constants(RuntimeLimits limits, boolean metrics) {
        return new Gson().toJson(Map.of(
                "metrics", metrics,
                "limits", Map.of("maxJsonDepth", limits.maxJsonDepth(), "maxNameLength", limits.maxNameLength(),
                        "callsPerSecond", limits.callsPerSecond()),
                "close", Map.of("NORMAL", CloseCodes.NORMAL, "POLICY_VIOLATION", CloseCodes.POLICY_VIOLATION,
                        "INTERNAL_ERROR", CloseCodes.INTERNAL_ERROR, "APPLICATION_MIN", CloseCodes.APPLICATION_MIN,
                        "APPLICATION_MAX", CloseCodes.APPLICATION_MAX)));
    }

    /** The functions of runtime.js: load, open, message, closed, interrupted. */
    public Value api() {
        return api;
    }

    /** Where new connections get their inbox. */
    public Inboxes inboxes() {
        return inboxes;
    }

    /** The site-relative path of a file inside the site, with links resolved. */
    public String relative(Path file) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(files.root())) throw new IllegalArgumentException(file + " is outside the site directory");
        return files.relative(real);
    }

    @Override
    public void close() {
        host.cancelTimers();
        host.db.close();
        context.close(true);
    }

    private static Source bootstrap(String file) {
        try (InputStream in = Sandbox.class.getResourceAsStream("/io/workjs/runtime/" + file)) {
            if (in == null) throw new IllegalStateException(file + " is missing from the runtime jar");
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "workjs/" + file).buildLiteral();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Whatever GraalJS itself prints (unhandled rejections, for one) goes to the log, a line at a time. */
    private static final class LogStream extends OutputStream {
        private final boolean error;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LogStream(boolean error) {
            this.error = error;
        }

        @Override
        public void write(int b) {
            if (b == '\n') flushLine();
            else if (line.size() < 16_384) line.write(b);
        }

        private void flushLine() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (error) JS_LOG.warning(text);
            else JS_LOG.info(text);
        }
    }
}
