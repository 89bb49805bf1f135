package io.workjs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bench/run --smoke} as CI does, so the harness never rots: every scenario must run
 * against every server and the report must hold their figures. No speed is asserted here.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BenchSmokeIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The servers that run the WebSocket scenarios; workjs-pg and node-ws-pg run only start-up and db. */
    private static final List<String> SERVERS = List.of("workjs", "workjs-resume", "raw", "node-ws", "socketio");
    private static final Map<String, String> PRIMARY = Map.of(
            "startup", "first call ms",
            "rpc", "calls/s",
            "rpc-half", "calls/s",
            "rpc-5k", "calls/s",
            "fanout-1x1000", "delivered/s",
            "fanout-10x100", "delivered/s",
            "idle-500", "heap KB/conn",
            "churn", "connections/s");

    @TempDir
    Path out;

    /** The result {@code key} (scenario/server) ran without error and measured {@code metric} above 0. */
    private static void assertPositive(Map<String, JsonObject> byKey, String key, String metric) {
        JsonObject r = byKey.get(key);
        assertTrue(r != null && r.get("error") == null, key + ": " + r);
        JsonElement value = r.getAsJsonObject("metrics").get(metric);
        assertTrue(value != null && value.getAsDouble() > 0, key + " has no '" + metric + "'");
    }

    @Test
    void smokeRunMeasuresEveryScenarioAgainstEveryServer() throws Exception {
        Run run = bench("--smoke");
        assertEquals(0, run.exit, "bench/run --smoke failed:\n" + run.output);

        Path base = out.resolve(LocalDate.now() + "-smoke");
        JsonObject report = JsonParser.parseString(Files.readString(Path.of(base + ".json"))).getAsJsonObject();
        Map<String, JsonObject> byKey = new HashMap<>();
        for (JsonElement e : report.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            byKey.put(r.get("scenario").getAsString() + "/" + r.get("server").getAsString(), r);
        }
        for (String server : SERVERS) {
            for (var scenario : PRIMARY.entrySet()) {
                JsonObject r = byKey.get(scenario.getKey() + "/" + server);
                assertTrue(r != null, scenario.getKey() + " did not run against " + server);
                assertNull(r.get("error"), scenario.getKey() + " failed against " + server + ": " + r.get("error"));
                JsonElement value = r.getAsJsonObject("metrics").get(scenario.getValue());
                assertTrue(value != null && !value.getAsString().equals("NaN"),
                        scenario.getKey() + " against " + server + " has no '" + scenario.getValue() + "'");
            }
            double calls = byKey.get("rpc/" + server).getAsJsonObject("metrics").get("calls/s").getAsDouble();
            assertTrue(calls > 0, server + " answered no RPC call");
        }
        // resumable connections only: a storm of resumes, and what detached connections cost
        for (var scenario : Map.of("resume-storm-100", "all resumed ms", "detached-500", "heap KB/conn").entrySet()) {
            JsonObject r = byKey.get(scenario.getKey() + "/workjs-resume");
            assertTrue(r != null && r.get("error") == null, scenario.getKey() + ": " + r);
            assertTrue(r.getAsJsonObject("metrics").has(scenario.getValue()), scenario.getKey() + " has no '" + scenario.getValue() + "'");
        }
        // the database: WorkJS's two APIs on the embedded database and on PostgreSQL, node-postgres on the same PostgreSQL
        for (String key : List.of("startup/workjs-pg", "startup/node-ws-pg", "db-async/workjs", "db-sync/workjs",
                "db-async/workjs-pg", "db-sync/workjs-pg", "db-async/node-ws-pg")) {
            assertPositive(byKey, key, key.startsWith("startup/") ? "first call ms" : "calls/s");
        }
        for (String key : List.of("db-async/workjs-pg", "db-async/node-ws-pg")) {
            assertTrue(byKey.get(key).getAsJsonObject("metrics").has("db CPU %"), key + " has no 'db CPU %'");
        }
        // the cluster scenario: WorkJS alone and on Redis, two WorkJS nodes and two socket.io nodes on a Redis each
        for (String key : List.of("cluster-rpc/workjs", "cluster-rpc/workjs-redis", "cluster-rpc/workjs-cluster",
                "cluster-rpc/socketio-cluster", "cluster-fanout-1x1000/workjs-cluster", "cluster-fanout-1x1000/socketio-cluster")) {
            assertPositive(byKey, key, key.startsWith("cluster-rpc/") ? "calls/s" : "delivered/s");
        }
        for (String key : List.of("cluster-rpc/workjs-redis", "cluster-rpc/workjs-cluster", "cluster-fanout-1x1000/socketio-cluster")) {
            assertTrue(byKey.get(key).getAsJsonObject("metrics").has("redis CPU %"), key + " has no 'redis CPU %'");
        }
        assertTrue(!byKey.containsKey("rpc/workjs-pg") && !byKey.containsKey("db-async/node-ws")
                && !byKey.containsKey("db-sync/node-ws-pg") && !byKey.containsKey("db-async/workjs-resume")
                && !byKey.containsKey("startup/workjs-cluster") && !byKey.containsKey("cluster-fanout-1x1000/workjs")
                && !byKey.containsKey("cluster-rpc/socketio"),
                "a server ran a scenario it has no part in: " + byKey.keySet());
        String md = Files.readString(Path.of(base + ".md"));
        assertTrue(md.contains("## rpc") && md.contains("## db-async") && md.contains("workjs ÷ peer") && md.contains("## Targets"), md);
        assertTrue(md.contains("## cluster-fanout-1x1000") && md.contains("workjs-cluster ÷ peer"), md);
        // workjs-metrics: the admin listener on and scraped, the rpc scenarios only
        assertPositive(byKey, "rpc/workjs-metrics", "calls/s");
        assertTrue(!byKey.containsKey("fanout-1x1000/workjs-metrics"), "workjs-metrics ran more than rpc: " + byKey.keySet());
        assertEquals(21, report.getAsJsonArray("targets").size());
    }

    @Test
    void refusesToMeasureWorkJsWhenItsJavaScriptIsInterpreted() throws Exception {
        // JVMCI off: GraalJS finds no compiler and interprets, which would make every figure meaningless
        Run run = bench("--smoke", "--servers", "workjs", "--jvm-opts", "-XX:-EnableJVMCI");
        assertEquals(1, run.exit, run.output);
        String md = Files.readString(out.resolve(LocalDate.now() + "-smoke.md"));
        assertTrue(md.contains("the bench needs the JIT"), md);
    }

    private record Run(int exit, String output) {
    }

    private Run bench(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("bench/run").toString(), "--no-build", "--out", out.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return new Run(p.exitValue(), output);
    }
}
