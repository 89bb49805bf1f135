package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.security.HttpTimeouts;
import io.workjs.server.support.RunningSite;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that sends its request headers too slowly is cut off instead of holding a connection forever. */
@Timeout(60)
class SlowHttpClientTest {
    @RegisterExtension
    static final RunningSite site = new RunningSite("http");

    @Test
    void requestWhoseHeadersNeverEndIsClosedAfterTheParseTimeout() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", site.server().port())) {
            socket.setSoTimeout(HttpTimeouts.REQUEST_PARSE_MILLIS + 10_000);
            long start = System.nanoTime();
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the server says before it closes
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a half-sent request open for more than "
                        + (HttpTimeouts.REQUEST_PARSE_MILLIS + 10_000) + " ms");
            } catch (IOException reset) {
                // closed: what we want
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= HttpTimeouts.REQUEST_PARSE_MILLIS - 1_000, "closed after only " + millis + " ms");
        }
    }

    @Test
    void promptRequestIsServedAsBefore() {
        assertEquals(200, site.get("/").statusCode());
    }
}
