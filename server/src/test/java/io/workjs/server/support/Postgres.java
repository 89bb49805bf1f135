package io.workjs.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL from Debian's {@code postgresql} package, for tests: {@code initdb} into a
 * temporary folder, {@code pg_ctl start} on a free port of 127.0.0.1, stopped and deleted on
 * {@link #close()}. PostgreSQL refuses to run as root, so as root (CI) it runs as the
 * {@code postgres} user, in a folder that user owns. Without the package, tests that need it are
 * skipped, except under CI (the {@code CI} variable), where that is a failure.
 */
public final class Postgres implements AutoCloseable {
    private static final String USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private Postgres(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Starts a fresh cluster, or skips the test (fails it under CI) when PostgreSQL is not installed. */
    public static Postgres start() {
        Path bin = binaries();
        if (bin == null) {
            if (System.getenv("CI") != null) throw new AssertionError("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
            Assumptions.abort("PostgreSQL is not installed (apt-get install postgresql)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("workjs-pg");
            if (root) run(List.of("chown", USER + ":" + USER, dir.toString()), false, dir);
            Postgres pg = new Postgres(bin, dir, FreePorts.next(), root);
            pg.command(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER, "-A", "trust",
                    "-E", "UTF8", "--no-sync"));
            pg.command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                    "-w", "-t", "30", "-o", "-p " + pg.port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                            + " -c fsync=off -c max_connections=100", "start"));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database on this server; its {@code postgres://} URL. */
    public String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "postgres://" + USER + "@127.0.0.1:" + port + "/" + name;
    }

    /** A connection to database {@code name}, for checks the test makes behind the server's back. */
    public Connection connect(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + name, USER, "");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            command(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder: the system cleans it up in the end
            }
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
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output + log(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

}
