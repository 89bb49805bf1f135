package io.workjs.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free TCP port of 127.0.0.1, for the servers the tests start themselves (Redis, PostgreSQL, nginx, nodes). */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port that was free a moment ago: the OS picks it, the caller binds it soon after. */
    public static int next() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
