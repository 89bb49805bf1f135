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

    Conn(Wire wire, Listener listener) {
        this.wire = wire;
        this.listener = listener;
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

    public boolean isOpen() {
        return channel != null && channel.isActive();
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
            String hello = wire.hello();
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
        switch (wire.kind(content)) {
            case REPLY -> listener.reply(this, wire.replySeq(content));
            case EVENT -> listener.event(this, content);
            case READY -> becomeReady();
            case PING -> write(wire.pong());
            case OTHER -> { }
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
