package io.workjs.server;

import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.workjs.runtime.Controller;
import io.workjs.runtime.JsRuntime;
import io.workjs.runtime.Metrics;
import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.RuntimeServices;
import io.workjs.server.config.Limits;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.dev.DevMode;
import io.workjs.server.http.Routes;
import io.workjs.server.http.SiteHandler;
import io.workjs.server.http.StartGate;
import io.workjs.server.ops.AdminHandler;
import io.workjs.server.ops.CallStats;
import io.workjs.server.ops.LoopProbe;
import io.workjs.server.ops.Readiness;
import io.workjs.server.ops.ServerMetrics;
import io.workjs.server.routing.Route;
import io.workjs.server.resume.Resumption;
import io.workjs.server.routing.RouteMap;
import io.workjs.server.security.DataFolder;
import io.workjs.server.security.HttpTimeouts;
import io.workjs.server.security.UpgradeGuard;
import io.workjs.server.cluster.ClusterNode;
import io.workjs.server.session.SessionCookies;
import io.workjs.server.session.SessionStore;
import io.workjs.server.session.SessionStores;
import io.workjs.server.db.SiteDatabase;
import io.workjs.server.session.StoredSessions;
import io.workjs.server.transport.IoBuffers;
import io.workjs.server.transport.Outflows;
import io.workjs.server.transport.WsEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A running WorkJS site: its routes, its controllers on one JS loop, and an Undertow listener.
 * {@link #start} either returns a serving server or throws with a message that names the file
 * and line at fault.
 */
public final class WorkServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs");

    private final Undertow undertow;
    private final ByteBufferPool buffers;
    private final JsRuntime runtime;
    private final WsEndpoint endpoint;
    private final Resumption resumption;
    private final UpgradeGuard guard;
    private final StoredSessions sessions;
    private final SiteDatabase database;
    /** The longest a stopping server waits for its connections' close handshakes before it stops listening. */
    static final long CLOSE_FRAMES_MILLIS = 1000;

    private final ServerConfig config;
    private final ClusterNode cluster;
    private final Watch watch;
    private final DevMode dev;   // null in production
    private final int port;
    private final String host;
    private final int adminPort;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /**
     * What operations see of the server: readiness always; with the admin listener on, the
     * metrics and the loop probe that feeds them (else null).
     */
    private record Watch(Readiness readiness, ServerMetrics metrics, LoopProbe probe) implements AutoCloseable {
        static Watch of(ServerConfig config) {
            return new Watch(new Readiness(), config.ops().adminPort() != null ? new ServerMetrics() : null, null);
        }

        Metrics reported() {
            return metrics != null ? metrics : Metrics.NONE;
        }

        Watch probing(JsRuntime runtime) {
            if (metrics == null) return this;
            metrics.calls(new CallStats(() -> runtime.callStats(SCRAPE_WAIT_MILLIS)));
            return new Watch(readiness, metrics, new LoopProbe(runtime::probe, metrics));
        }

        @Override
        public void close() {
            if (probe != null) probe.close();
            if (metrics != null) metrics.close();
        }
    }

    /** The longest a scrape waits for the JS loop to hand over its call counts; past it, the last counts are shown. */
    static final long SCRAPE_WAIT_MILLIS = 1000;

    private WorkServer(ServerConfig config, Undertow undertow, ByteBufferPool buffers, JsRuntime runtime, WsEndpoint endpoint, Resumption resumption,
            UpgradeGuard guard, StoredSessions sessions, SiteDatabase database, ClusterNode cluster, Watch watch, DevMode dev) {
        this.config = config;
        this.watch = watch;
        this.dev = dev;
        this.cluster = cluster;
        this.sessions = sessions;
        this.database = database;
        this.undertow = undertow;
        this.buffers = buffers;
        this.runtime = runtime;
        this.endpoint = endpoint;
        this.resumption = resumption;
        this.guard = guard;
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        this.port = address.getPort();
        this.host = address.getHostString();
        this.adminPort = undertow.getListenerInfo().size() > 1
                ? ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort() : -1;
    }

    /** Loads the site and starts listening; throws on a broken MAP or CONF or a busy port. */
    public static WorkServer start(ServerConfig config) {
        Path site = config.site();
        LOG.info("WorkJS " + version() + ": site " + site);
        DataFolder.check(config);
        RouteMap map = RouteMap.load(site, warning -> LOG.warning(warning));
        // In a cluster, groups, sessions and the generated cookie secret are shared through Redis.
        ClusterNode cluster = config.clustered() ? ClusterNode.connect(config) : null;
        StoredSessions sessions;
        SessionCookies cookies;
        try {
            SessionStore store = cluster != null ? cluster.sessions(config.limits().runtime().callTimeoutMillis()) : SessionStores.open(config);
            sessions = new StoredSessions(store, config.sessions(), System::currentTimeMillis);
        } catch (RuntimeException e) {
            if (cluster != null) cluster.close();
            throw e;
        }
        try {
            cookies = SessionCookies.start(config, sessions, cluster != null ? cluster::sharedSecret : null);
        } catch (RuntimeException e) {
            sessions.close();
            if (cluster != null) cluster.close();
            throw e;
        }
        SiteDatabase database = SiteDatabase.forSite(config);
        Watch watch = Watch.of(config);
        if (watch.metrics() != null) database.meterRegistry(watch.metrics().registry());
        // The loop's frames are written at the end of each of its batches (Outflows).
        Outflows outflows = new Outflows();
        RuntimeServices services = RuntimeServices.defaults().withSessions(sessions).withDatabase(database).withMetrics(watch.reported())
                .withBatches(outflows);
        if (cluster != null) services = services.withGroups(cluster.groups());
        RuntimeServices chosen = services;
        // GraalJS takes seconds to build its first context on a cold JVM, far longer than
        // anything else here: it does so on its own thread while Undertow starts, and requests
        // that arrive before it is done wait at the gate. The database opens and migrates on a
        // third; a controller that queries while it loads waits for it.
        CompletableFuture<Void> databaseReady = background("workjs-db-start", () -> {
            database.startUp();
            return null;
        });
        CompletableFuture<Scripts> scripts = background("workjs-start", () -> Scripts.load(site, config, map, chosen));
        StartGate gate = new StartGate();
        ByteBufferPool buffers = IoBuffers.pool();
        Undertow.Builder builder = HttpTimeouts.apply(Undertow.builder())
                .setByteBufferPool(buffers)
                .addHttpListener(config.port(), config.host())
                .setHandler(gate);
        if (watch.metrics() != null) {
            // The admin listener answers from the start: /ready says "starting" until the gate opens.
            builder.addListener(new Undertow.ListenerBuilder().setType(Undertow.ListenerType.HTTP)
                    .setHost(config.ops().adminHost()).setPort(config.ops().adminPort())
                    .setRootHandler(new AdminHandler(watch.metrics(), watch.readiness())));
        }
        Undertow undertow = builder.build();
        Scripts loaded;
        try {
            undertow.start();
            join(databaseReady);
            loaded = join(scripts);
        } catch (RuntimeException e) {
            stopListening(undertow, buffers);
            scripts.thenAccept(s -> s.runtime().close());
            databaseReady.whenComplete((v, t) -> database.close());
            sessions.close();
            if (cluster != null) cluster.close();
            watch.close();
            throw e;
        }
        LOG.info("JS: " + JsRuntime.jitStatus());
        LOG.info(loaded.table());
        Limits limits = config.limits();
        Resumption resumption = new Resumption(limits.resumeWindowSeconds(), limits.resumeBufferBytes(),
                (limits.pingIntervalSeconds() + limits.pingTimeoutSeconds()) * 1000L, 2 * limits.maxConnections(), watch.reported());
        if (cluster != null) {
            // The node takes its place among the others before the first request gets past the
            // gate: every group operation carries its name.
            InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
            try {
                cluster.join(hostName() + ":" + bound.getPort(), "http://" + bound.getHostString() + ":" + bound.getPort(),
                        loaded.runtime()::exitElsewhere, resumption);
                LogFormat.node(cluster.name());
            } catch (RuntimeException e) {
                stopListening(undertow, buffers);
                resumption.close();
                loaded.runtime().close();
                sessions.close();
                database.close();
                cluster.close();
                watch.close();
                throw e;
            }
            watch.readiness().cluster(cluster::redisUp);
        }
        WsEndpoint endpoint = new WsEndpoint(loaded.runtime(), limits, resumption, cookies::idOf, watch.reported(), outflows);
        UpgradeGuard guard = new UpgradeGuard(config, Resumption.PROTOCOL, resumption::detached, watch.reported());
        Map<Path, Controller> controllers = new ConcurrentHashMap<>(loaded.controllers());
        AtomicReference<Routes> routes = new AtomicReference<>(new Routes(map, route -> controllers.get(route.controller())));
        DevMode dev = null;
        if (config.ops().development()) {
            try {
                dev = DevMode.start(site, config.data(), loaded.runtime(), controllers, routes);
            } catch (IOException e) {
                LOG.warning("development mode: cannot watch " + site + " (" + e.getMessage() + "); nothing will be reloaded");
            }
        }
        gate.open(SiteHandler.create(site, routes::get, endpoint, guard, cookies::issue, SessionCookies.RENEW_PATH, cookies::renew,
                config.ops().development()));
        WorkServer server = new WorkServer(config, undertow, buffers, loaded.runtime(), endpoint, resumption, guard, sessions, database, cluster,
                watch.probing(loaded.runtime()), dev);
        watch.readiness().ready();
        LOG.info("listening on " + server.url());
        if (server.adminPort >= 0) {
            LOG.info("admin listener on http://" + config.ops().adminHost() + ":" + server.adminPort + " (/metrics, /health, /ready)");
        }

        String advice = originAdvice(config.origin(), server.host);
        if (advice != null) LOG.warning(advice);
        return server;
    }

    /** Runs {@code work} on a daemon thread of its own; its result or failure completes the future. */
    private static <T> CompletableFuture<T> background(String name, java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        DaemonThreads.start(name, () -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            if (e.getCause() instanceof Error cause) throw cause;
            throw e;
        }
    }

    /** The site's JS runtime with every ws route's controller loaded, and the route table to log. */
    private record Scripts(JsRuntime runtime, Map<Path, Controller> controllers, String table) {
        static Scripts load(Path site, ServerConfig config, RouteMap map, RuntimeServices services) {
            JsRuntime runtime = JsRuntime.start(site, config.limits().runtime(), services);
            try {
                StringBuilder table = new StringBuilder("routes:");
                Map<Path, Controller> controllers = loadControllers(map, runtime, table);
                return new Scripts(runtime, controllers, table.toString());
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
        }
    }

    /** Loads each ws route's controller once, writing the route table into {@code table}. */
    private static Map<Path, Controller> loadControllers(RouteMap map, JsRuntime runtime, StringBuilder table) {
        Map<Path, Controller> controllers = new HashMap<>();
        for (Route route : map.routes()) {
            table.append("\n  ").append(route);
            if (!route.websocket()) continue;
            Controller controller = controllers.computeIfAbsent(route.controller(), runtime::load);
            if (controller.ok()) {
                table.append("  [").append(controller.file()).append(": ").append(String.join(", ", controller.functions())).append(']');
            } else {
                table.append("  [").append(controller.file()).append(" FAILED]");
                LOG.severe("controller " + controller.error() + " (WebSocket upgrades on " + route.pattern() + " are refused until it is fixed)");
            }
        }
        return controllers;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static String version() {
        String v = WorkServer.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }

    /** The configuration the server runs with. */
    public ServerConfig config() {
        return config;
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return port;
    }

    /** A warning when a server others can reach has no CONF origin to check upgrades against; else null. */
    static String originAdvice(String origin, String listenHost) {
        if (origin != null) return null;
        try {
            if (java.net.InetAddress.getByName(listenHost).isLoopbackAddress()) return null;
        } catch (java.net.UnknownHostException e) {
            // not resolvable here: warn, to be safe
        }
        return "CONF \"origin\" is not set: WebSocket upgrades are checked against the request's own Host, "
                + "which DNS rebinding can fake; set it to the site's public origin (docs/SECURITY.md)";
    }

    /** {@code http://host:port}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port;
    }

    /** Frames received and waiting for the JS loop, all connections together (bounded by CONF maxPending*). */
    public int pendingFrames() {
        return runtime.pendingFrames();
    }

    /** Resumable connections that have not ended, detached ones included. */
    public int resumableConnections() {
        return resumption.live();
    }

    /** This server as a node of its cluster; null when it runs alone. */
    public ClusterNode cluster() {
        return cluster;
    }

    /** Number of open WebSocket connections. */
    public int connections() {
        return endpoint.openConnections();
    }

    /** Moves the admission state forward (see {@link UpgradeGuard.Admission}); the drain will start here. */
    void admission(UpgradeGuard.Admission next) {
        guard.enter(next);
    }

    /**
     * A graceful drain (SIGTERM, docs/OPERATIONS.md): {@code /ready} turns 503 and new upgrades
     * are refused; every connection is closed with 1012 once the calls it sent are answered, the
     * closes spread over the first three quarters of CONF {@code drainSeconds}. Returns once every
     * socket is gone (and, in a cluster, every resumable connection has moved to another node
     * or ended), or when the drain time is over, or at once when the thread is interrupted (a
     * second SIGTERM). {@link #stop} comes after it.
     */
    public void drain() {
        watch.readiness().draining();
        guard.enter(UpgradeGuard.Admission.DRAINING);
        long total = config.ops().drainSeconds() * 1000L;
        LOG.info("draining: " + endpoint.openConnections() + " connection(s) to close within " + config.ops().drainSeconds() + " s");
        endpoint.drain(total * 3 / 4);
        long deadline = System.nanoTime() + total * 1_000_000L;
        while (System.nanoTime() < deadline && (endpoint.openConnections() > 0 || (cluster != null && resumption.live() > 0))) {
            try {
                Thread.sleep(20);   // the drain has no single completion to wait on: sockets close one by one
            } catch (InterruptedException e) {
                LOG.info("drain cut short: stopping now");   // the interrupt is answered: the stop after it must not see it
                return;
            }
        }
        LOG.info("drained: " + endpoint.openConnections() + " connection(s) left");
    }

    /** Refuses new upgrades, closes every connection with 1001, stops listening and stops the JS loop. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) return;
        watch.readiness().stopping();
        if (dev != null) dev.close();
        guard.enter(UpgradeGuard.Admission.CLOSED);
        endpoint.closeAll();
        // The close frames are queued, not sent: give them (and the clients' answers) a moment
        // before the listener and its I/O threads go, or a client sees 1006 instead of 1001.
        long deadline = System.nanoTime() + CLOSE_FRAMES_MILLIS * 1_000_000L;
        while (endpoint.openConnections() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);   // shutdown only: the sockets' closes have no completion to wait on together
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopListening(undertow, buffers);
        resumption.close();
        runtime.close();   // the loop is the store's only writer, so the store closes after it
        sessions.close();
        database.close();
        if (cluster != null) cluster.close();
        watch.close();
    }

    /** Stops the listeners, then closes their buffer pool: Undertow closes only a pool of its own making. */
    private static void stopListening(Undertow undertow, ByteBufferPool buffers) {
        undertow.stop();
        buffers.close();
    }

    /** The admin listener's port, or -1 when it is off. */
    public int adminPort() {
        return adminPort;
    }

    @Override
    public void close() {
        stop();
    }
}
