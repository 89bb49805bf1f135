package io.workjs.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpStatesTest {
    @Test
    void bothEndsOfALoopbackConnectionAreFoundByTheClientsPortWithWhatTheServerLeftUnread() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket server = listener.accept()) {
            OutputStream out = client.getOutputStream();
            out.write(new byte[1000]);
            out.flush();
            long deadline = System.nanoTime() + 5_000_000_000L;
            String states = TcpStates.of(client.getLocalPort());
            while (!states.contains("unread 1000") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                states = TcpStates.of(client.getLocalPort());
            }
            assertTrue(states.startsWith("client port " + client.getLocalPort() + ": "), states);
            assertTrue(states.contains("client end ESTABLISHED send 0 unread 0"), states);
            assertTrue(states.contains("server end ESTABLISHED send 0 unread 1000"), states);
        }
    }
}
