package io.workjs.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's WebSocket client: Netty's codec on a fixed number of event-loop threads
 * (epoll where the machine has it). One instance serves every server under test, so each sees
 * the same client.
 */
public final class Client implements AutoCloseable {

    private static final int MAX_FRAME = 1 << 20;
    /** The names of the event-loop threads start with this (Window measures their CPU). */
    public static final String LOOP_THREAD_PREFIX = "load-loop";

    private final EventLoopGroup loops;
    private final Bootstrap bootstrap;

    public Client(int threads) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        loops = new MultiThreadIoEventLoopGroup(threads, new io.netty.util.concurrent.DefaultThreadFactory(LOOP_THREAD_PREFIX), io);
        bootstrap = new Bootstrap()
                .group(loops)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Opens a connection; the future completes when it may send calls. */
    public CompletableFuture<Conn> connect(int port, Wire wire, String group, Listener listener) {
        return connect(port, wire, group, listener, null);
    }

    /** As {@link #connect(int, Wire, String, Listener)}, saying {@code hello} first instead of the wire's own (a resume). */
    public CompletableFuture<Conn> connect(int port, Wire wire, String group, Listener listener, String hello) {
        URI uri = URI.create("ws://127.0.0.1:" + port + wire.path(group));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(wire.subprotocol())
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(30_000)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .build();
        Conn conn = new Conn(wire, listener, hello);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(MAX_FRAME),
                        new WebSocketClientProtocolHandler(config),
                        conn);
            }
        });
        ChannelFuture connected = b.connect("127.0.0.1", port);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                conn.ready().completeExceptionally(f.cause());
            }
        });
        return conn.ready();
    }

    @Override public void close() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
