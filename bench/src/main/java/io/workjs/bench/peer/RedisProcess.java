package io.workjs.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Redis of one cluster under test (bench/README.md, cluster): Debian's
 * {@code /usr/bin/redis-server} on a free port of 127.0.0.1, its folder a temporary one; each
 * cluster gets a fresh one, so each starts from an empty Redis. {@link #close()} stops it and
 * deletes the folder.
 *
 * <p>Persistence is off ({@code --save '' --appendonly no}): the data is thrown away after the
 * run, and a disk sync per write would measure the shared machine's disk, not the servers.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long START_MILLIS = 10_000;

    private final Process process;
    private final StopOnce stop = new StopOnce("bench-redis-stop", this::close);
    private final Path dir;
    private final int port;

    private RedisProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a fresh Redis and waits until it answers PING; throws, saying why, when it is not installed or will not start. */
    public static RedisProcess start() throws IOException, InterruptedException {
        if (!Files.isExecutable(SERVER)) {
            throw new IllegalStateException("Redis is not installed (no " + SERVER + "; apt-get install redis-server)");
        }
        Path dir = Files.createTempDirectory("workjs-bench-redis");
        int port = freePort();
        Process p = new ProcessBuilder(List.of(SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        RedisProcess redis = new RedisProcess(p, dir, port);
        redis.stop.atExit();   // also when the run is interrupted
        long deadline = System.currentTimeMillis() + START_MILLIS;
        while (!redis.answersPing()) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                String log = Files.readString(dir.resolve("log"));
                redis.close();
                throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + log);
            }
            Thread.sleep(20);
        }
        return redis;
    }

    /** The URL the servers are given. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** User plus system CPU time Redis used so far, in seconds. */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    private boolean answersPing() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!stop.first()) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up in the end
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
