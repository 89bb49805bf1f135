package io.workjs.server.transport;

import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.workjs.runtime.Peer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One upgraded WebSocket connection: the runtime's {@link Peer} over an Undertow channel. */
final class WsConnection implements Peer {
    private final String id;
    private final WebSocketChannel channel;

    WsConnection(String id, WebSocketChannel channel) {
        this.id = id;
        this.channel = channel;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String text) {
        if (channel.isOpen() && !channel.isCloseFrameSent()) WebSockets.sendText(text, channel, null);
    }

    @Override
    public void send(ByteBuffer utf8) {
        if (channel.isOpen() && !channel.isCloseFrameSent()) WebSockets.sendText(utf8.duplicate(), channel, null);
    }

    @Override
    public void close(int code, String reason) {
        if (!channel.isOpen() || channel.isCloseFrameSent()) return;
        WebSockets.sendClose(code, clip(reason), channel, null);
    }

    @Override
    public int readyState() {
        if (!channel.isOpen()) return 3;
        return channel.isCloseFrameSent() || channel.isCloseFrameReceived() ? 2 : 1;
    }

    WebSocketChannel channel() {
        return channel;
    }

    /** A close reason may hold at most 123 bytes of UTF-8. */
    private static String clip(String reason) {
        if (reason == null) return "";
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) return reason;
        String cut = new String(bytes, 0, 123, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
