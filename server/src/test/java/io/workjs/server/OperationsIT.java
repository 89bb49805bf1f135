package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.workjs.server.LauncherIT.Launched;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations as a person runs them, through the real launcher in a process of its own: SIGTERM
 * under load (the drain), a second SIGTERM, and the JSON log format. docs/OPERATIONS.md.
 */
@Timeout(300)
class OperationsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern ADMIN = Pattern.compile("admin listener on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path temp;

    private Path site(String conf) throws Exception {
        Path site = TestSite.copy("ops", temp);
        Files.writeString(site.resolve("CONF"), conf);
        return site;
    }

    /** The server's URL, once it says where it listens. */
    private static String base(Launched server) throws InterruptedException {
        return group(LISTENING, server.awaitLine("listening on http://"));
    }

    /** The admin listener's port, once the server says it. */
    private static String adminPort(Launched server) throws InterruptedException {
        return group(ADMIN, server.awaitLine("admin listener on http://"));
    }

    private static String group(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        assertTrue(m.find(), line);
        return m.group(1);
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;   // the process is gone
        }
    }

    /** One client calling in a closed loop: each answer sends the next call; it counts answers, and the close. */
    private static final class Caller {
        final WsClient ws;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicBoolean wrong = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Caller(String base) {
            ws = WsClient.connect(base, "/m/load");
            Thread thread = new Thread(() -> {   // a thread of its own: it blocks on its socket
                run();
                done.complete(null);
            }, "operations-caller");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (true) {
                int seq = sent.incrementAndGet();
                if (!ws.trySend("[\"later\",20," + seq + "]")) {
                    sent.decrementAndGet();   // the socket was closing: never sent
                    return;
                }
                String reply;
                try {
                    reply = ws.poll(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                if (reply == null) return;   // closed with this call unanswered (the client reports DISCONNECTED)
                if (!reply.equals("[\"_rpc\",\"done\"," + seq + "]")) wrong.set(true);
                answered.incrementAndGet();
            }
        }
    }

    @Test
    void sigtermUnderLoadDrainsEveryConnectionWith1012AndExitsZero() throws Exception {
        Path site = site("{\"drainSeconds\": 3}");
        try (Launched server = Launched.start(List.of("./workjs", "--port", "0", "--admin-port", "0", site.toString()))) {
            String base = base(server);
            String ready = "http://127.0.0.1:" + adminPort(server) + "/ready";
            assertEquals(200, status(ready));
            List<Caller> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) callers.add(new Caller(base));
            for (Caller c : callers) {
                while (c.answered.get() < 5) Thread.onSpinWait();   // all under load
            }
            server.term();
            server.awaitLine("SIGTERM: draining");
            int duringDrain = status(ready);
            assertTrue(duringDrain == 503 || duringDrain == -1, "not ready while draining: " + duringDrain);
            assertEquals(0, server.awaitExit(30), String.join("\n", server.output()));
            for (Caller c : callers) {
                c.done.get(15, TimeUnit.SECONDS);
                assertEquals(1012, c.ws.awaitClose().code(), "every connection is closed by the drain");
                assertTrue(!c.wrong.get(), "every answer belongs to its call");
                int unanswered = c.sent.get() - c.answered.get();
                assertTrue(unanswered <= 1, "at most the call on the wire as the socket closed is unanswered "
                        + "(the client rejects it with DISCONNECTED): " + unanswered);
            }
            assertTrue(server.output().stream().anyMatch(l -> l.contains("drained: 0 connection(s) left")), String.join("\n", server.output()));
        }
    }

    @Test
    void aSecondSigtermStopsAtOnce() throws Exception {
        Path site = site("{\"drainSeconds\": 120}");
        try (Launched server = Launched.start(List.of("./workjs", "--port", "0", site.toString()))) {
            String base = base(server);
            WsClient stuck = WsClient.connect(base, "/m/stuck");
            stuck.send("[\"never\",null,1]");   // a drain would wait for it until its time is over
            assertEquals("[\"_rpc\",1,2]", stuck.call("[\"ok\",1,2]"));
            server.term();
            server.awaitLine("SIGTERM: draining");
            long start = System.nanoTime();
            server.term();
            assertEquals(0, server.awaitExit(20));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "stopped at once, not after 120 s");
            assertEquals(1001, stuck.awaitClose().code());
            assertTrue(server.output().stream().anyMatch(l -> l.contains("drain cut short")), String.join("\n", server.output()));
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithTheControllerLineAndConnection() throws Exception {
        Path site = site("{\"logFormat\": \"json\"}");
        List<String> source = Files.readAllLines(site.resolve("m.ws"));
        int logLine = indexOf(source, "console.warn('told to log: '") + 1;
        int throwLine = indexOf(source, "const e = new Error('failed on purpose')") + 1;
        try (Launched server = Launched.start(List.of("./workjs", "--port", "0", site.toString()))) {
            String base = base(server);
            try (WsClient ws = WsClient.connect(base, "/m/logs")) {
                assertEquals("[\"_rpc\",true,1]", ws.call("[\"logs\",\"hello\",1]"));
                assertTrue(ws.call("[\"fail\",\"OOPS\",2]").contains("OOPS"));
            }
            String told = server.awaitLine("told to log: hello");
            String failed = server.awaitLine("fail() failed");
            server.term();
            assertEquals(0, server.awaitExit(30));
            List<JsonObject> lines = new ArrayList<>();
            for (String line : server.output()) {
                if (line.startsWith("workjs: building")) continue;   // the launcher's own build note, before the server runs
                lines.add(JsonParser.parseString(line).getAsJsonObject());   // fails on any line that is not one JSON object
            }
            for (JsonObject o : lines) {
                for (String field : new String[] {"time", "level", "logger", "message"}) assertNotNull(o.get(field), field + " in " + o);
            }
            JsonObject warn = JsonParser.parseString(told).getAsJsonObject();
            assertEquals("WARN", warn.get("level").getAsString());
            assertEquals("workjs.js", warn.get("logger").getAsString());
            assertEquals("m.ws", warn.get("controller").getAsString());
            assertEquals(logLine, warn.get("line").getAsInt());
            assertTrue(warn.get("connection").getAsString().matches("[A-Za-z0-9_-]{22}"), warn.toString());
            JsonObject error = JsonParser.parseString(failed).getAsJsonObject();
            assertEquals("ERROR", error.get("level").getAsString());
            assertEquals(throwLine, error.get("line").getAsInt(), "the line the error was thrown at: " + error);
            assertEquals(warn.get("connection"), error.get("connection"));
            assertTrue(lines.stream().anyMatch(o -> o.get("message").getAsString().startsWith("listening on ")));
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i;
        throw new AssertionError("no line with " + text);
    }
}
