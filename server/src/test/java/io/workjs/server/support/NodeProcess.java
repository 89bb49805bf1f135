package io.workjs.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster node in a process of its own ({@code io.workjs.server.Main}, as the launcher runs
 * it, on this JVM's class path), so that a test can kill it with SIGKILL as a crash would. It
 * listens on a port of its own choosing, read from its "listening on" log line; its log is
 * kept for the test's failure messages.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final StringBuffer log = new StringBuffer();
    private final String url;

    private NodeProcess(Process process) {
        this.process = process;
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) listening.complete(m.group(1));
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.complete(null);
        });
        try {
            url = listening.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("node did not start:\n" + log, e);
        }
        if (url == null) throw new IllegalStateException("node exited before listening:\n" + log);
    }

    /** Starts {@code Main} with these arguments (e.g. --redis URL --node-name n1 SITE_DIR), on port 0 of 127.0.0.1. */
    public static NodeProcess start(Path data, String... args) {
        return start(0, data, args);
    }

    /** As {@link #start(Path, String...)}, on {@code port} (a load balancer's upstream stays put across restarts). */
    public static NodeProcess start(int port, Path data, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Xmx512m", "-XX:+UseSerialGC",
                "-Dpolyglot.engine.WarnInterpreterOnly=false", "io.workjs.server.Main", "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--data", data.toString()));
        command.addAll(List.of(args));
        try {
            return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    /** Kills the node with SIGKILL: no goodbye, no exit(), as a crash. */
    public void kill() {
        ChildProcesses.kill(process);
    }

    /** What the node logged so far. */
    public String log() {
        return log.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }
}
