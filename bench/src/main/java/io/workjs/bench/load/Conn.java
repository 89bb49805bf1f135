package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.util.concurrent.CompletableFuture;

/**
 * One WebSocket connection of the load generator. Writes made while handling a read are
 * flushed once when the read batch ends, so a burst of replies costs one system call.
 */
public final class Conn extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    private final Wire wire;
    private final Listener listener;
    private final CompletableFuture<Conn> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Channel channel;
    private String hello;
    // A resumable connection: its token, the messages received, and the count last acknowledged.
    private String token;
    private boolean resumed;
    private long received;
    private long acknowledged;

    Conn(Wire wire, Listener listener, String hello) {
        this.wire = wire;
        this.listener = listener;
        this.hello = hello;
    }

    public Wire wire() {
        return wire;
    }

    public Listener listener() {
        return listener;
    }

    /** Queues a text frame; it leaves with the next flush. */
    public void write(String text) {
        channel.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
    }

    /** Sends what {@link #write} queued. */
    public void flush() {
        channel.flush();
    }

    /** Sends a text frame now. */
    public void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
    }

    /** The client end's port (0 before the socket is bound): {@link io.workjs.bench.scenario.TcpStates} finds both ends by it. */
    public int localPort() {
        return channel != null && channel.localAddress() instanceof java.net.InetSocketAddress a ? a.getPort() : 0;
    }

    public boolean isOpen() {
        return channel != null && channel.isActive();
    }

    /** The token its welcome gave a resumable connection, the messages it received, and whether it was a resume. */
    public String token() {
        return token;
    }

    public long received() {
        return received;
    }

    public boolean resumed() {
        return resumed;
    }

    /** Drops the socket without a close frame, as a network cut does; {@link #closed()} completes when it is gone. */
    public CompletableFuture<Void> cut() {
        channel.close();
        return closed;
    }

    /** Starts the closing handshake (1000); {@link #closed()} completes when the socket is gone. */
    public CompletableFuture<Void> close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done"));
        }
        return closed;
    }

    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Runs {@code task} every {@code periodNanos} on this connection's event loop until it closes. */
    public void every(long initialDelayNanos, long periodNanos, Runnable task) {
        var future = channel.eventLoop().scheduleAtFixedRate(task, initialDelayNanos, periodNanos,
                java.util.concurrent.TimeUnit.NANOSECONDS);
        closed.whenComplete((v, e) -> future.cancel(false));
    }

    public boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /** Runs {@code task} on this connection's event loop. */
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    CompletableFuture<Conn> ready() {
        return ready;
    }

    @Override public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            if (hello == null) {
                hello = wire.hello();
            }
            if (hello != null) {
                send(hello);
            }
            if (!wire.waitsForReady()) {
                becomeReady();
            }
        } else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ready.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        ByteBuf content = frame.content();
        Wire.Kind kind = wire.kind(content);
        switch (kind) {
            case REPLY -> {
                String error = wire.replyError(content);
                if (error == null) {
                    listener.reply(this, wire.replySeq(content));
                } else {
                    listener.failed(this, wire.replySeq(content), error);
                }
            }
            case EVENT -> listener.event(this, content);
            case READY -> {
                if (wire instanceof ResumeWire) {
                    token = ResumeWire.token(content);
                    resumed = ResumeWire.resumed(content);
                }
                becomeReady();
            }
            case PING -> write(wire.pong());
            case CONTROL, OTHER -> { }
        }
        if (kind == Wire.Kind.REPLY || kind == Wire.Kind.EVENT || kind == Wire.Kind.OTHER) {
            String ack = wire.ack(++received);
            // as the shipped client does: every 32 messages (it also acknowledges after 1 s)
            if (ack != null && received - acknowledged >= 32) {
                acknowledged = received;
                write(ack);
            }
        }
    }

    @Override public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override public void channelInactive(ChannelHandlerContext ctx) {
        ready.completeExceptionally(new IllegalStateException("connection closed before it was ready"));
        closed.complete(null);
        listener.closed(this);
    }

    @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        ctx.close();
    }

    private void becomeReady() {
        if (ready.complete(this)) {
            listener.ready(this);
        }
    }
}
