package io.workjs.server.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A WebSocket handshake written by hand, for what the JDK client cannot do: send any Origin,
 * leave it out, or connect from a chosen local address (127.0.0.2). An accepted connection stays
 * open until {@link #close}.
 */
public final class RawUpgrade implements AutoCloseable {
    private final Socket socket;
    private final int status;
    private final String body;

    private RawUpgrade(Socket socket, int status, String body) {
        this.socket = socket;
        this.status = status;
        this.body = body;
    }

    /** Upgrades {@code path} on the server at {@code port}; {@code origin} may be null (no header). */
    public static RawUpgrade open(int port, String path, String origin, String localAddress) {
        Socket socket = new Socket();
        try {
            if (localAddress != null) socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String head = head(in);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String body = status == 101 ? "" : body(in, head);
            if (status != 101) socket.close();
            return new RawUpgrade(socket, status, body);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    public int status() {
        return status;
    }

    /** The socket, positioned after the handshake: frames follow (see RawWs). */
    Socket socket() {
        return socket;
    }

    /** The body of a refusal (empty after a 101). */
    public String body() {
        return body;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            if (bytes.size() >= 4 && bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) break;
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static String body(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return new String(in.readNBytes(Integer.parseInt(line.substring(15).trim())), StandardCharsets.UTF_8);
            }
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
