package io.workjs.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for network faults, between a test's clients and a server, both on loopback. It
 * can cut connections (both sides closed, as a crashed middlebox would) and freeze them: stop
 * forwarding in one or both directions while both TCP connections stay open, as a network that
 * dies without a word. Every connection gets two forwarding threads (virtual), which end with it.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile boolean refusing;

    private TcpProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    /** A proxy on a free loopback port to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()), targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} of the proxy. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The connections through the proxy that are still up, oldest first. */
    public List<Link> links() {
        return links.stream().filter(l -> !l.isCut()).toList();
    }

    /** While on, a new connection is closed as soon as it is accepted: the network is down for newcomers too. */
    public void refuseNew(boolean on) {
        refusing = on;
    }

    /** Cuts every connection: both sides are closed at once. */
    public void cutAll() {
        for (Link link : links) link.cut();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) continue;   // one failed connection; the proxy goes on
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
    }

    /** One client's connection through the proxy. */
    public static final class Link {
        private final Socket client;
        private final Socket server;
        private final Object lock = new Object();
        private boolean upFrozen;
        private boolean downFrozen;
        private volatile boolean cut;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() throws IOException {
            InputStream fromClient = client.getInputStream();
            OutputStream toServer = server.getOutputStream();
            InputStream fromServer = server.getInputStream();
            OutputStream toClient = client.getOutputStream();
            Thread.ofVirtual().name("proxy-up").start(() -> pump(fromClient, toServer, true));
            Thread.ofVirtual().name("proxy-down").start(() -> pump(fromServer, toClient, false));
        }

        /**
         * Copies one direction until either side closes; while the direction is frozen nothing is
         * read, so nothing moves and nothing closes, whatever the ends do meanwhile.
         */
        private void pump(InputStream in, OutputStream out, boolean up) {
            byte[] buffer = new byte[16 * 1024];
            try {
                while (!cut) {
                    awaitThaw(up);
                    int n = in.read(buffer);
                    awaitThaw(up);   // frozen while this read was waiting: hold its bytes, or its end of stream, too
                    if (n < 0) break;
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the link was cut, or an end went away
            }
            cut();
        }

        private void awaitThaw(boolean up) throws InterruptedException {
            synchronized (lock) {
                while (!cut && (up ? upFrozen : downFrozen)) lock.wait();
            }
        }

        /** Stops forwarding client to server ({@code up}) and/or server to client ({@code down}); both connections stay open. */
        public void freeze(boolean up, boolean down) {
            synchronized (lock) {
                upFrozen |= up;
                downFrozen |= down;
            }
        }

        /** Forwards both ways again, with what was held back. */
        public void thaw() {
            synchronized (lock) {
                upFrozen = false;
                downFrozen = false;
                lock.notifyAll();
            }
        }

        /** Closes both sides at once. */
        public void cut() {
            cut = true;
            synchronized (lock) {
                lock.notifyAll();
            }
            try {
                client.close();
            } catch (IOException ignored) {
                // already closed
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        public boolean isCut() {
            return cut;
        }
    }
}
