package io.workjs.bench.raw;

import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.workjs.runtime.ConnectionEvents;
import io.workjs.runtime.Controller;
import io.workjs.runtime.Inbound;
import io.workjs.runtime.Metrics;
import io.workjs.runtime.Peer;
import io.workjs.server.config.Limits;
import io.workjs.server.resume.Resumption;
import io.workjs.server.transport.IoBuffers;
import io.workjs.server.transport.Outflows;
import io.workjs.server.transport.WsEndpoint;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The raw peer of the benchmark (bench/README.md): the bench handler in Java on WorkJS's own
 * transport (server/transport: the upgrade, framing, outflows, heartbeat and bounds of
 * {@link WsEndpoint}, with its defaults), with no JavaScript and no dispatch to a loop, so what
 * it measures is the ceiling for our stack. Listens on 127.0.0.1 only; any path upgrades,
 * {@code ?g=} names the group.
 */
public final class RawServer {
    private static final String HOST = "127.0.0.1";
    /** What {@code init()} of bench.ws returns without a {@code g}, or with an empty one. */
    private static final String DEFAULT_GROUP = "all";

    private final Undertow undertow;
    private final ByteBufferPool buffers = IoBuffers.pool();
    private final ConcurrentMap<String, Set<Peer>> groups = new ConcurrentHashMap<>();
    private final Resumption noResumption = new Resumption(0, 4096, 45_000, 0, Metrics.NONE);
    private final WsEndpoint endpoint;
    private final Controller bench = Controller.of("bench.ws", List.of("echo", "emit"));
    private final int port;

    private RawServer(int port) {
        // IO threads and worker are left at Undertow's defaults, as WorkServer leaves them, and
        // so is the buffer pool WorkServer uses for HTTP.
        endpoint = new WsEndpoint(new Events(), Limits.DEFAULTS, noResumption, exchange -> null, Metrics.NONE, new Outflows());
        undertow = Undertow.builder()
                .setByteBufferPool(buffers)
                .addHttpListener(port, HOST)
                .setHandler(exchange -> endpoint.upgrade(exchange, "/", bench, Map.of("g", group(exchange))))
                .build();
        undertow.start();
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** bench.ws's {@code this.context.g || 'all'}: an empty g is falsy too. */
    private static String group(HttpServerExchange exchange) {
        Deque<String> g = exchange.getQueryParameters().get("g");
        return g == null || g.isEmpty() || g.getFirst().isEmpty() ? DEFAULT_GROUP : g.getFirst();
    }

    /** A connection opens: it joins the group its upgrade named. */
    private final class Events implements ConnectionEvents {
        @Override
        public Inbound opened(Peer peer, Controller controller, Map<String, String> context, String sessionId) {
            String group = context.get("g");
            // compute and computeIfPresent lock the entry, so a join never lands in a set that a
            // concurrent last leave is removing from the map.
            groups.compute(group, (name, members) -> {
                Set<Peer> set = members == null ? ConcurrentHashMap.newKeySet() : members;
                set.add(peer);
                return set;
            });
            return new RawConnection(RawServer.this, group, peer);
        }

        @Override
        public Inbound restored(Peer peer, String groupId, String stateJson, String sessionId, String after) {
            throw new UnsupportedOperationException("the raw peer does not resume connections");
        }
    }

    /** The connection of {@code peer} ended: it leaves its group. */
    void left(String group, Peer peer) {
        groups.computeIfPresent(group, (name, members) -> {
            members.remove(peer);
            return members.isEmpty() ? null : members;
        });
    }

    /** Starts listening on {@code port} of 127.0.0.1 (0: a free port). */
    public static RawServer start(int port) {
        return new RawServer(port);
    }

    /** The port listened on (the chosen one when started with 0). */
    public int port() {
        return port;
    }

    /** Closes every connection with 1001, as WorkServer does, and stops listening. */
    public void stop() {
        endpoint.closeAll();
        undertow.stop();
        buffers.close();
        noResumption.close();
    }

    /** Open connections in {@code group}; for tests. */
    int members(String group) {
        Set<Peer> members = groups.get(group);
        return members == null ? 0 : members.size();
    }

    /** The members of {@code group}, or null once its last member has left. */
    Set<Peer> group(String group) {
        return groups.get(group);
    }

    /** {@code --port N} (default 0); prints {@code listening on http://127.0.0.1:PORT} once it accepts connections. */
    public static void main(String[] args) {
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: RawServer [--port N]");
                System.exit(2);
            }
        }
        RawServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "raw-server-stop"));
        System.out.println("listening on http://" + HOST + ":" + server.port());
        System.out.flush();
        // Undertow's IO threads are not daemons: the JVM runs until SIGTERM runs the hook.
    }
}
