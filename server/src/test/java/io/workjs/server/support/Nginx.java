package io.workjs.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx from Debian's {@code nginx} package as the load balancer in front of a
 * cluster's nodes, for tests: round robin, no sticky sessions, WebSocket upgrades passed on, as
 * docs/DEPLOYMENT.md configures it. It runs in the foreground from a temporary folder on a free
 * port of 127.0.0.1 and is stopped by its PID. Without the package, tests that need it are
 * skipped, except under CI, where that is a failure.
 */
public final class Nginx implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Path dir;
    private final int port;
    private final Process process;

    private Nginx(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts nginx balancing over {@code upstreams} ({@code http://127.0.0.1:PORT} each). */
    public static Nginx start(List<String> upstreams) {
        if (!Files.isExecutable(BINARY)) {
            if (System.getenv("CI") != null) throw new AssertionError("nginx is not installed (apt-get install nginx); .ci/run installs it");
            Assumptions.abort("nginx is not installed (apt-get install nginx)");
        }
        try {
            Path dir = Files.createTempDirectory("workjs-nginx");
            int port = FreePorts.next();
            String servers = upstreams.stream().map(u -> "    server " + u.replaceFirst("^http://", "") + " max_fails=0;")
                    .collect(Collectors.joining("\n"));
            boolean root = "root".equals(System.getProperty("user.name"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    %s
                    worker_processes 1;
                    daemon off;
                    pid %s/nginx.pid;
                    error_log %s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                      access_log off;
                      client_body_temp_path %s/body;
                      proxy_temp_path %s/proxy;
                      fastcgi_temp_path %s/fastcgi;
                      uwsgi_temp_path %s/uwsgi;
                      scgi_temp_path %s/scgi;
                      map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                      upstream workjs {
                    %s
                      }
                      server {
                        listen 127.0.0.1:%d;
                        location / {
                          proxy_pass http://workjs;
                          proxy_http_version 1.1;
                          proxy_set_header Upgrade $http_upgrade;
                          proxy_set_header Connection $connection_upgrade;
                          proxy_set_header Host $http_host;
                          proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                          proxy_read_timeout 120s;
                          proxy_connect_timeout 2s;
                          proxy_next_upstream error timeout;
                        }
                      }
                    }
                    """.formatted(root ? "user root;" : "", dir, dir, dir, dir, dir, dir, dir, servers, port));
            Process process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
            Nginx nginx = new Nginx(dir, port, process);
            nginx.awaitListening();
            return nginx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        ChildProcesses.awaitReady(process, "nginx", () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }, () -> {
            try {
                Path error = dir.resolve("error.log");
                return Files.readString(dir.resolve("out")) + (Files.exists(error) ? Files.readString(error) : "");
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** {@code http://127.0.0.1:PORT}: the site as clients see it. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        // nginx's master stops its worker on SIGTERM; SIGKILL would leave the worker running.
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it up in the end
        }
    }

}
