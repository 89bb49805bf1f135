package io.workjs.bench.peer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL that the {@code db} scenario's servers share (bench/README.md): Debian's
 * {@code postgresql} binaries, {@code initdb} into a temporary folder and {@code pg_ctl start}
 * on a free port of 127.0.0.1, once per run; {@link #close()} stops it and deletes the folder.
 * Each server gets a database of its own from {@link #createDatabase}, so each starts from an
 * empty table. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres}
 * user, in a folder that user owns.
 *
 * <p>Durability is off ({@code fsync=off}): the cluster is thrown away after the run, and the
 * shared machine's disk would otherwise add its own noise to every figure.
 */
public final class PostgresProcess implements AutoCloseable {
    private static final String USER = "postgres";
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private final StopOnce stop = new StopOnce("bench-postgres-stop", this::close);
    private int databases;

    private PostgresProcess(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Starts a fresh cluster; throws, saying what is missing, when PostgreSQL is not installed or will not start. */
    public static PostgresProcess start() throws IOException {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl; apt-get install postgresql)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("workjs-bench-pg");
        PostgresProcess pg = new PostgresProcess(bin, dir, freePort(), root);
        try {
            if (root) run(List.of("chown", USER + ":" + USER, dir.toString()), false, dir);
            Path data = dir.resolve("data");
            pg.command(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                    "-E", "UTF8", "--no-sync"));
            pg.command(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                    "-w", "-t", "60", "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                            + " -c fsync=off -c max_connections=100", "start"));
            pg.stop.atExit();   // also when the run is interrupted
            return pg;
        } catch (RuntimeException e) {
            pg.delete();
            throw e;
        }
    }

    /** A new, empty database on this server, named after {@code label}; its {@code postgres://} URL. */
    public synchronized String createDatabase(String label) {
        String name = "bench_" + label.replaceAll("[^A-Za-z0-9]", "_") + "_" + (++databases);
        command(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, name));
        return "postgres://" + USER + "@127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    /**
     * User plus system CPU time used so far by the postmaster and its children (one backend per
     * client connection), in seconds. A backend that ended takes its time with it, so compare
     * only over a window in which the servers' pools keep their connections.
     */
    public double cpuSeconds() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).getFirst().trim());
        double total = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields[0] is field 3 (state): the parent is field 4, utime and stime fields 14 and 15
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid == postmaster || Long.parseLong(fields[1]) == postmaster) {
                        total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        }
        return total;
    }

    @Override
    public void close() {
        if (!stop.first()) return;
        try {
            command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            delete();
        }
    }

    private void delete() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up in the end
        }
    }

    private void command(List<String> command) {
        run(command, asPostgres, dir);
    }

    private static void run(List<String> command, boolean asPostgres, Path dir) {
        List<String> full = new ArrayList<>();
        if (asPostgres) full.addAll(List.of("runuser", "-u", USER, "--"));
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output + log(dir));
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", full) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String log(Path dir) {
        try {
            Path log = dir.resolve("log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Debian's {@code /usr/lib/postgresql/NN/bin}, the newest there is, or null. */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("createdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
