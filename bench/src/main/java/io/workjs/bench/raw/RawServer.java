package io.workjs.bench.raw;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The raw peer of the benchmark (bench/README.md): the bench handler in Java on the same
 * Undertow as the server, with no JavaScript and no dispatch to a worker, so what it measures
 * is the ceiling for our stack. Listens on 127.0.0.1 only; any path upgrades, {@code ?g=}
 * names the group.
 */
public final class RawServer {
    /** Largest text frame a client may send, in bytes: the server's default maxMessageBytes. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final String HOST = "127.0.0.1";

    private final Undertow undertow;
    private final ByteBufferPool buffers = new DefaultByteBufferPool(true, 16_364, 256, 64);
    private final ConcurrentMap<String, Set<RawSink>> groups = new ConcurrentHashMap<>();
    private final RawSink.Flusher.PerThread flushers = new RawSink.Flusher.PerThread();
    private final int port;

    private RawServer(int port) {
        // IO threads and worker are left at Undertow's defaults, as WorkServer leaves them; the
        // buffer pool is WorkServer's (server/transport/IoBuffers: the same sizes), since
        // Undertow's default one re-allocates read buffers under load and a ceiling should not.
        undertow = Undertow.builder()
                .setByteBufferPool(buffers)
                .addHttpListener(port, HOST)
                .setHandler(Handlers.websocket(this::connected))
                .build();
        undertow.start();
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
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
        for (Set<RawSink> members : groups.values()) {
            for (RawSink member : members) {
                WebSocketChannel channel = member.channel();
                if (channel.isOpen() && !channel.isCloseFrameSent()) WebSockets.sendClose(1001, "server is stopping", channel, null);
            }
        }
        undertow.stop();
        buffers.close();
    }

    /** Open connections in {@code group}; for tests. */
    int members(String group) {
        Set<RawSink> members = groups.get(group);
        return members == null ? 0 : members.size();
    }

    /** The members of {@code group}, or null once its last member has left. */
    Set<RawSink> group(String group) {
        return groups.get(group);
    }

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        List<String> g = exchange.getRequestParameters().get("g");
        // bench.ws returns `this.context.g || 'all'`: an empty g is falsy too.
        String group = g == null || g.isEmpty() || g.get(0).isEmpty() ? "all" : g.get(0);
        // compute and computeIfPresent lock the entry, so a join never lands in a set that a
        // concurrent last leave is removing from the map.
        RawSink sink = new RawSink(channel, flushers.of(channel.getIoThread()));
        groups.compute(group, (name, members) -> {
            Set<RawSink> set = members == null ? ConcurrentHashMap.newKeySet() : members;
            set.add(sink);
            return set;
        });
        channel.addCloseTask(closed -> groups.computeIfPresent(group, (name, members) -> {
            members.remove(sink);
            return members.isEmpty() ? null : members;
        }));
        channel.getReceiveSetter().set(new RawConnection(this, group, sink));
        channel.resumeReceives();
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
