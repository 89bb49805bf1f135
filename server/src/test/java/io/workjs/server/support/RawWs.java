package io.workjs.server.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A WebSocket client written by hand over a plain socket, for what a real client would never
 * do: stay silent to pings, send invalid UTF-8, send frames byte by byte as given.
 */
public final class RawWs implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random masks = new Random(7);

    /** A frame as it came: opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        /** The close code of a close frame. */
        public int closeCode() {
            return ByteBuffer.wrap(payload).getShort() & 0xFFFF;
        }

        /** The payload after the code of a close frame, or the text of a text frame. */
        public String text() {
            return opcode == 8 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Opens a socket to 127.0.0.1:port and completes the upgrade of {@code path}. */
    public static RawWs connect(int port, String path) throws IOException {
        return new RawWs(port, path);
    }

    private RawWs(int port, String path) throws IOException {
        RawUpgrade upgrade = RawUpgrade.open(port, path, null, null);
        if (upgrade.status() != 101) throw new IOException("upgrade refused: " + upgrade.status() + " " + upgrade.body());
        socket = upgrade.socket();
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one masked frame, final, with the given opcode (1 text, 2 binary, 8 close, 10 pong). */
    public RawWs send(int opcode, byte[] payload) throws IOException {
        return send(opcode, payload, true);
    }

    /** Sends one masked frame; not {@code fin}: more fragments of the message follow (opcode 0, continuation). */
    public RawWs send(int opcode, byte[] payload, boolean fin) throws IOException {
        return write(frame((fin ? 0x80 : 0) | opcode, payload, true));
    }

    /** The bytes of a frame whose first byte (FIN, RSV bits, opcode) is {@code first}, masked or not. */
    public byte[] frame(int first, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(first);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (!masked) {
            frame.writeBytes(payload);
            return frame.toByteArray();
        }
        byte[] mask = new byte[4];
        masks.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i & 3]);
        return frame.toByteArray();
    }

    /** Writes bytes as they are, in one write. */
    public RawWs write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Writes bytes one at a time, each in a TCP segment of its own. */
    public RawWs writeByteByByte(byte[] bytes) throws IOException {
        socket.setTcpNoDelay(true);
        for (byte b : bytes) {
            out.write(b);
            out.flush();
        }
        return this;
    }

    /** The next frame from the server, or null when it closed the socket. */
    public Frame read() throws IOException {
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            // the server sends whole messages, unmasked, with no extension
            if ((b0 & 0xF0) != 0x80 || (b1 & 0x80) != 0) throw new IOException("a server frame must be final, unmasked, RSV 0: " + b0 + " " + b1);
            int len = b1 & 0x7F;
            long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(b0 & 0x0F, payload);
        } catch (EOFException e) {
            return null;
        } catch (java.net.SocketException e) {
            return null;   // reset by the server
        }
    }

    /** Reads frames until a close frame; null when the socket ended without one. */
    public Frame awaitClose() throws IOException {
        for (Frame f = read(); f != null; f = read()) if (f.opcode() == 8) return f;
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
