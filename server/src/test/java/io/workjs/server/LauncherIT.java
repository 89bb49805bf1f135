package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher and the packaged jar as a person runs them, each in its own process. Run by
 * failsafe after {@code package} ({@code ./mvnw verify}), so the jar and its lib/ and jvmci/ exist.
 */
@Timeout(300)
class LauncherIT {
    static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))$");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The repository: the tests run in the server module's folder. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** The test JVM's own java, a JDK 25. */
    static final Path JAVA = Path.of(ProcessHandle.current().info().command().orElseThrow());

    @TempDir
    Path temp;

    @Test
    void launcherServesTheSampleSiteWithTheJitOn() throws Exception {
        Path site = copySampleSite();
        try (Launched server = Launched.start(List.of("./workjs", "--port", "0", site.toString()))) {
            String url = server.awaitUrl();
            assertTrue(server.hasLineEnding("JS: compiled"), "the JIT is on: " + server.output());

            HttpResponse<String> landing = get(url + "/");
            assertEquals(200, landing.statusCode());
            assertTrue(landing.body().contains("<h1>WorkJS chat</h1>"), landing.body());

            HttpResponse<String> chat = get(url + "/chat/lobby");
            assertEquals(200, chat.statusCode());
            assertTrue(chat.body().contains("<head><script src=\"/_workjs/ws.js\"></script>"), chat.body());

            try (WsClient ws = WsClient.connect(url, "/chat/lobby")) {
                ws.send("[\"hello\",{\"nick\":\"ann\"},1]");
                String reply = ws.next();
                for (int i = 0; i < 10 && !reply.startsWith("[\"_rpc\""); i++) reply = ws.next();
                assertTrue(reply.startsWith("[\"_rpc\",{") && reply.endsWith("},1]"), reply);
                assertTrue(reply.contains("\"history\""), reply);
                assertTrue(reply.contains("\"nick\":\"ann\""), reply);
            }
        }
    }

    @Test
    void launcherHelpExitsZeroWithTheUsage() throws Exception {
        Finished help = Finished.run(List.of("./workjs", "--help"));
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().contains("usage: workjs [options] SITE_DIR"), help.output());
        assertTrue(help.output().contains("--port N"), help.output());
    }

    @Test
    void launcherWithANonNumericPortExitsTwoAndSaysWhy() throws Exception {
        Finished bad = Finished.run(List.of("./workjs", "--port", "abc", "sample-site"));
        assertEquals(2, bad.exit(), bad.output());
        assertTrue(bad.output().contains("workjs: --port needs a number from 0 to 65535, got \"abc\"\n"), bad.output());
        assertTrue(bad.output().contains("usage: workjs"), bad.output());
    }

    @Test
    void jarWithoutTheJitFlagsStartsInterpretedAndSaysWhy() throws Exception {
        Path site = copySampleSite();
        Path jar = ROOT.resolve("server/target/workjs-server.jar");
        assertTrue(Files.isRegularFile(jar), "package has built " + jar);
        try (Launched server = Launched.start(List.of(JAVA.toString(), "-jar", jar.toString(), "--port", "0", site.toString()))) {
            String url = server.awaitUrl();
            assertTrue(server.output().stream().anyMatch(l -> Pattern.compile("JS: interpreted \\(.+\\)$").matcher(l).find()),
                    "says it runs interpreted, and why: " + server.output());
            assertEquals(200, get(url + "/").statusCode());
            try (WsClient ws = WsClient.connect(url, "/chat/lobby")) {
                String reply = ws.send("[\"hello\",{\"nick\":\"bob\"},7]").next();
                for (int i = 0; i < 10 && !reply.startsWith("[\"_rpc\""); i++) reply = ws.next();
                assertTrue(reply.endsWith(",7]") && reply.contains("\"history\""), reply);
            }
        }
    }

    private Path copySampleSite() {
        return TestSite.copySample(temp);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ProcessBuilder builder(Path dir, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // The launcher looks for a JDK 25 in JAVA_HOME first: hand it this JVM's.
        builder.environment().put("JAVA_HOME", JAVA.getParent().getParent().toString());
        builder.environment().remove("WORKJS_JAVA_OPTS");
        return builder;
    }

    /** A server process whose output is read line by line as it comes. */
    static final class Launched implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();

        private Launched(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                        fresh.add(line);
                    }
                } catch (IOException e) {
                    // the process is gone; the lines so far stay
                }
            }, "launched-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Launched start(List<String> command) throws IOException {
            return start(ROOT, command);
        }

        /** Runs {@code command} in {@code dir} (a copy of the repository, say). */
        static Launched start(Path dir, List<String> command) throws IOException {
            return new Launched(builder(dir, command).start());
        }

        /** Reads output until the server says where it listens (120 s at most) and returns that URL. */
        String awaitUrl() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                String line = fresh.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    if (!process.isAlive() && fresh.isEmpty()) break;
                    continue;
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    assertTrue(Integer.parseInt(m.group(2)) > 0, line);
                    return m.group(1);
                }
            }
            throw new AssertionError("no 'listening on' line (alive: " + process.isAlive() + "): " + String.join("\n", lines));
        }

        List<String> output() {
            return List.copyOf(lines);
        }

        boolean hasLineEnding(String text) {
            return lines.stream().anyMatch(l -> l.endsWith(text));
        }

        /**
         * SIGTERM, as {@code docker stop} and systemd send it. Through the process handle:
         * {@link Process#destroy()} would also close our end of its output, and lose what it
         * logs while it stops.
         */
        void term() {
            process.toHandle().destroy();
        }

        /** Waits up to {@code seconds} for the process to end; its exit code, or fails. */
        int awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) throw new AssertionError("still running after " + seconds + " s: " + output());
            return process.exitValue();
        }

        /** Waits up to 120 s for a line that contains {@code text}, and returns it. */
        String awaitLine(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                for (String line : lines) if (line.contains(text)) return line;
                if (!process.isAlive()) break;
                Thread.sleep(20);
            }
            throw new AssertionError("no line with \"" + text + "\" (alive: " + process.isAlive() + "): " + String.join("\n", lines));
        }

        /** SIGKILL, as a crash or the OOM killer would: the process gets no chance to clean up. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A command run to its end. */
    record Finished(int exit, String output) {
        static Finished run(List<String> command) throws IOException, InterruptedException {
            return run(ROOT, command, 120);
        }

        /** Runs {@code command} in {@code dir}, failing when it takes longer than {@code seconds}. */
        static Finished run(Path dir, List<String> command, long seconds) throws IOException, InterruptedException {
            Process process = builder(dir, command).start();
            List<String> out = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) out.add(line);
            }
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end: " + out);
            }
            return new Finished(process.exitValue(), String.join("\n", out) + "\n");
        }
    }

    static {
        if (!Files.isRegularFile(ROOT.resolve("workjs"))) {
            throw new UncheckedIOException(new IOException("the repository root with ./workjs is not " + ROOT));
        }
    }
}
