package io.workjs.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis from Debian's {@code redis-server} package, for tests: started on a free port of
 * 127.0.0.1 with its files in a temporary folder, with append-only persistence and
 * {@code appendfsync always} (the settings docs/CLUSTER.md asks for), so that {@link #kill} and
 * {@link #restart} show what survives a crash. Without the package, tests that need it are
 * skipped, except under CI (the {@code CI} variable), where that is a failure.
 */
public final class RedisServer implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path dir;
    private final int port;
    private final boolean persistent;
    private Process process;

    private RedisServer(Path dir, int port, boolean persistent) {
        this.dir = dir;
        this.port = port;
        this.persistent = persistent;
    }

    /** Starts a fresh Redis that writes every change to disk before it answers. */
    public static RedisServer start() {
        return start(true);
    }

    /** Starts a fresh Redis; without persistence a restart loses everything. */
    public static RedisServer start(boolean persistent) {
        if (!Files.isExecutable(BINARY)) {
            if (System.getenv("CI") != null) throw new AssertionError("Redis is not installed (apt-get install redis-server); .ci/run installs it");
            Assumptions.abort("Redis is not installed (apt-get install redis-server)");
        }
        try {
            RedisServer redis = new RedisServer(Files.createTempDirectory("workjs-redis"), FreePorts.next(), persistent);
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--protected-mode", "yes", "--logfile", dir.resolve("log").toString()));
        if (persistent) command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        else command.addAll(List.of("--appendonly", "no"));
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcesses.awaitReady(process, "redis-server", () -> {
            try {
                return "+PONG".equals(command("PING"));
            } catch (IOException notYet) {
                return false;
            }
        }, this::log);
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() {
        ChildProcesses.kill(process);
    }

    /** Starts Redis again on the same port and folder (after {@link #kill}). */
    public void restart() {
        launch();
    }

    /**
     * Sends one command (words without spaces) and returns the reply's first line, e.g.
     * {@code +PONG}, {@code :3} or {@code $5} followed by the value on the next line.
     */
    public String command(String... words) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder("*" + words.length + "\r\n");
            for (String w : words) req.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String first = line(in);
            if (first.startsWith("$") && !first.equals("$-1")) return line(in);
            return first;
        }
    }

    /** The bodies of a group's stream entries, oldest first (docs/CLUSTER.md, the group's keys). */
    public List<String> groupStream(String controller, String groupKey) throws IOException {
        String id = controller + "\0" + groupKey;
        return xrangeBodies("workjs:{" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8))
                + "}:s");
    }

    /** The value of the one field of each entry of a stream, oldest first (XRANGE key - +). */
    public List<String> xrangeBodies(String key) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            String[] words = {"XRANGE", key, "-", "+"};
            StringBuilder req = new StringBuilder("*" + words.length + "\r\n");
            for (String w : words) req.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            List<String> bodies = new ArrayList<>();
            Object reply = read(in);
            for (Object entry : (List<?>) reply) {
                List<?> fields = (List<?>) ((List<?>) entry).get(1);
                bodies.add((String) fields.get(1));
            }
            return bodies;
        }
    }

    /** One RESP value: a string, a number, null or a list of them. */
    private static Object read(InputStream in) throws IOException {
        String head = line(in);
        switch (head.charAt(0)) {
            case '+', '-' -> {
                return head.substring(1);
            }
            case ':' -> {
                return Long.parseLong(head.substring(1));
            }
            case '$' -> {
                int n = Integer.parseInt(head.substring(1));
                if (n < 0) return null;
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(head.substring(1));
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) items.add(read(in));
                return items;
            }
            default -> throw new IOException("not RESP: " + head);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') b.append((char) c);
        if (c < 0 && b.isEmpty()) throw new IOException("connection closed");
        return b.toString();
    }

    private String log() {
        try {
            Path log = dir.resolve("log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process != null) kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up in the end
        }
    }

}
