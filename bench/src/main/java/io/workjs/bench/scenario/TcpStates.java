package io.workjs.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Both ends of a loopback connection as the kernel sees them (Linux's /proc/net/tcp): state and
 * the bytes each end has queued to send and not yet read. A connection that will not close
 * says by this which side stopped: unread bytes at the server's end mean it stopped reading.
 */
final class TcpStates {
    private static final String[] STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private TcpStates() {
    }

    /** "client port P: client end STATE send N unread N, server end ..." (each end found by the client's port). */
    static String of(int clientPort) {
        List<String> ends = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 5 || !f[1].contains(":")) continue;
                    int local = port(f[1]);
                    int remote = port(f[2]);
                    if (local != clientPort && remote != clientPort) continue;
                    String[] queues = f[4].split(":");
                    int state = Integer.parseInt(f[3], 16);
                    ends.add((local == clientPort ? "client end " : "server end ") + (state < STATES.length ? STATES[state] : f[3])
                            + " send " + Long.parseLong(queues[0], 16) + " unread " + Long.parseLong(queues[1], 16));
                }
            } catch (IOException | RuntimeException e) {
                ends.add(table + ": " + e.getMessage());
            }
        }
        return "client port " + clientPort + ": " + (ends.isEmpty() ? "no socket" : String.join(", ", ends));
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
