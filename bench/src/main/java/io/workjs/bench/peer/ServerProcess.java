package io.workjs.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under test, started as its own process on a port chosen up front (so that the
 * start-up scenario can knock before the server prints anything). Measures the process from
 * outside: CPU from {@code /proc/PID/stat}, RSS from {@code /proc/PID/status}, heap after a
 * full GC through {@code jcmd} (JVM) or the peer's {@code /__bench/memory} (Node).
 */
public final class ServerProcess implements Servers, AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final ServerKind kind;
    private final int port;
    private final long launchedNanos;
    private final Process process;
    private final PostgresProcess database;   // the PostgreSQL it uses, or null
    private final CompletableFuture<Void> listening = new CompletableFuture<>();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private volatile String jsLine = "";
    /** Each compiler thread's CPU seconds when last seen, by thread id: the JVM ends idle compiler threads. */
    private final java.util.Map<String, Double> compilerThreads = new java.util.HashMap<>();

    private ServerProcess(ServerKind kind, int port, Process process, long launchedNanos, PostgresProcess database) {
        this.kind = kind;
        this.port = port;
        this.process = process;
        this.launchedNanos = launchedNanos;
        this.database = database;
        Thread reader = new Thread(this::readOutput, "bench-" + kind.label() + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Launches {@code kind} on a free port; returns at once, before it listens. A server that
     * {@link ServerKind#usesPostgres() uses PostgreSQL} gets a new database on {@code postgres};
     * WorkJS's embedded database is deleted first. Either way each server starts from an empty
     * table.
     */
    public static ServerProcess launch(ServerKind kind, Path root, List<String> jvmOptions, PostgresProcess postgres) throws IOException {
        return launch(kind, root, jvmOptions, postgres, null, null);
    }

    /**
     * As {@link #launch(ServerKind, Path, List, PostgresProcess)}, a node named {@code nodeName}
     * of a cluster on the Redis at {@code redisUrl} (both null: a server alone).
     */
    public static ServerProcess launch(ServerKind kind, Path root, List<String> jvmOptions, PostgresProcess postgres,
                                       String redisUrl, String nodeName) throws IOException {
        int port = freePort();
        String databaseUrl = null;
        if (kind.usesPostgres()) {
            if (postgres == null) throw new IllegalStateException(kind.label() + " needs PostgreSQL, and none was started");
            databaseUrl = postgres.createDatabase(kind.label());
        }
        if (kind.isWorkjs()) {
            deleteTree(ServerKind.workjsData(root, nodeName).resolve("db"));
        }
        int adminPort = kind == ServerKind.WORKJS_METRICS ? freePort() : 0;
        ProcessBuilder builder = new ProcessBuilder(kind.command(root, port, jvmOptions, databaseUrl, redisUrl, nodeName, adminPort))
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("WORKJS_JAVA_OPTS", String.join(" ", jvmOptions));
        long launched = System.nanoTime();
        ServerProcess server = new ServerProcess(kind, port, builder.start(), launched, kind.usesPostgres() ? postgres : null);
        if (adminPort != 0) server.scrapeEverySecond(adminPort);
        return server;
    }

    /**
     * workjs-metrics: GET /metrics once a second while the server runs, as a Prometheus server
     * would (more often than its usual 15 s), so the run pays for the scrapes too.
     */
    private void scrapeEverySecond(int adminPort) {
        Thread scraper = new Thread(() -> {
            var http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build();
            while (process.isAlive()) {
                try {
                    http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException notYetOrGone) {
                    try {
                        Thread.sleep(1000);   // not listening yet, or stopping
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "bench-metrics-scraper");
        scraper.setDaemon(true);
        scraper.start();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override public ServerKind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    @Override public int port(int connection) {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public long launchedNanos() {
        return launchedNanos;
    }

    /** The server's {@code JS: ...} start-up line (WorkJS only). */
    public String jsLine() {
        return jsLine;
    }

    /** Waits for the listening line; fails with the server's last output if it dies first. */
    public void awaitListening(Duration timeout) throws Exception {
        try {
            listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(kind.label() + " did not start listening within " + timeout
                    + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")")
                    + "; its last output:\n" + lastOutput(), e);
        }
    }

    public synchronized String lastOutput() {
        return String.join("\n", lastLines);
    }

    /** CPU seconds the server's PostgreSQL used so far (all its processes), or NaN when it uses none. */
    @Override public double databaseCpuSeconds() throws IOException {
        return database == null ? Double.NaN : database.cpuSeconds();
    }

    /** User plus system CPU time the process used so far, in seconds. */
    @Override public double cpuSeconds() throws IOException {
        return cpuSecondsOf(Path.of("/proc", Long.toString(pid()), "stat"));
    }

    /** CPU seconds used so far by the process's threads whose names {@code names} accepts, or NaN when it has none. */
    @Override public double threadCpuSeconds(java.util.function.Predicate<String> names) throws IOException {
        double total = Double.NaN;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (!names.test(Files.readString(task.resolve("comm")).trim())) {
                        continue;
                    }
                    double seconds = cpuSecondsOf(task.resolve("stat"));
                    total = Double.isNaN(total) ? seconds : total + seconds;
                } catch (IOException threadEnded) {
                    // the thread ended while we looked
                }
            }
        }
        return total;
    }

    /**
     * CPU seconds the JIT compiler threads have used so far, as far as seen: a compiler thread
     * the JVM ends keeps the figure it had when last sampled, so the sum never goes back, and
     * misses at most what an ended thread used since the sample before. NaN when there are none.
     */
    @Override public synchronized double compilerCpuSeconds() throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (COMPILERS.test(Files.readString(task.resolve("comm")).trim())) {
                        compilerThreads.put(task.getFileName().toString(), cpuSecondsOf(task.resolve("stat")));
                    }
                } catch (IOException threadEnded) {
                    // the thread ended while we looked
                }
            }
        }
        return compilerThreads.isEmpty() ? Double.NaN : compilerThreads.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** User plus system time from a {@code /proc} stat file of a process or thread. */
    private static double cpuSecondsOf(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Resident set size now, in bytes. */
    public long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid());
    }

    /** A JVM server's class histogram after a full collection ({@code jcmd GC.class_histogram}). */
    public String classHistogram() throws Exception {
        return run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid()), "GC.class_histogram");
    }

    /** Heap in use right after a full collection, in bytes. */
    public long heapAfterGc() throws Exception {
        if (kind.isJvm()) {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid()), "GC.run");
            Matcher m = HEAP_USED.matcher(run(jcmd, Long.toString(pid()), "GC.heap_info"));
            if (!m.find()) {
                throw new IllegalStateException("jcmd GC.heap_info printed no heap use");
            }
            return Long.parseLong(m.group(1)) * 1024;
        }
        // HTTP/1.1: the JDK client's default h2c upgrade header would reach the WebSocket server's upgrade handler
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/__bench/memory"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"heapUsed\"\\s*:\\s*(\\d+)").matcher(body);
            if (!m.find()) {
                throw new IllegalStateException(kind.label() + " /__bench/memory answered " + body);
            }
            return Long.parseLong(m.group(1));
        }
    }

    @Override public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                        lastLines.removeFirst();
                    }
                }
                if (line.contains("JS: ")) {
                    jsLine = line.substring(line.indexOf("JS: "));
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) == port) {
                    listening.complete(null);
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("the server's output ended"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
