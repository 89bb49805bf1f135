package io.workjs.bench;

import io.workjs.bench.load.Client;
import io.workjs.bench.peer.Nodes;
import io.workjs.bench.peer.PostgresProcess;
import io.workjs.bench.peer.ServerKind;
import io.workjs.bench.peer.ServerProcess;
import io.workjs.bench.report.Report;
import io.workjs.bench.report.Result;
import io.workjs.bench.scenario.Churn;
import io.workjs.bench.scenario.Db;
import io.workjs.bench.scenario.Detached;
import io.workjs.bench.scenario.Fanout;
import io.workjs.bench.scenario.Idle;
import io.workjs.bench.scenario.ResumeStorm;
import io.workjs.bench.scenario.Rpc;
import io.workjs.bench.scenario.RpcAtRate;
import io.workjs.bench.scenario.Startup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every scenario against every server, one server at a time, with one load generator, and
 * writes the report. Started by {@code bench/run} (bench/README.md).
 */
public final class Bench {

    /** Calls per second of the light fixed-rate RPC run. */
    private static final double LIGHT_RATE = 5_000;

    private Bench() {
    }

    /** A scenario step against one running server. */
    private interface Step {
        Result run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[args.length - 2].equals("--render")) {
            // writes a run's Markdown again from its JSON (after a change to the report's layout)
            Path json = Path.of(args[args.length - 1]);
            String base = json.toString().replaceFirst("\\.json$", "");
            Report.read(json).write(Path.of(base));
            System.out.println("bench: wrote " + base + ".md");
            return;
        }
        Options options = Options.parse(args);
        // An interrupted run (Ctrl-C, kill) stops the server processes it started, not only itself.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        Settings settings = options.smoke() ? Settings.smoke(options.clientThreads()) : Settings.full(options.clientThreads());
        if (options.warmupSeconds() > 0) {
            settings = settings.withWarmup(Duration.ofSeconds(options.warmupSeconds()));
        }
        if (options.fanoutWindow() > 0) {
            settings = settings.withFanoutWindow(options.fanoutWindow());
        }
        List<Result> results = new ArrayList<>();
        boolean ok = true;
        // one PostgreSQL for the run, shared by the servers that use it, each with a database of its own
        PostgresProcess postgres = null;
        String noPostgres = null;
        if (options.servers().stream().anyMatch(ServerKind::usesPostgres)) {
            try {
                postgres = PostgresProcess.start();
            } catch (Exception e) {
                noPostgres = "PostgreSQL did not start: " + e.getMessage();
            }
        }
        try (Client client = new Client(settings.clientThreads())) {
            // interleaved: every server once per trial, A B A B ..., so a slow hour of the machine hits all alike
            for (int trial = 1; trial <= options.trials(); trial++) {
                if (options.trials() > 1) {
                    System.out.println("bench: trial " + trial + " of " + options.trials());
                }
                int first = results.size();
                for (ServerKind kind : options.servers()) {
                    ok &= runServer(kind, client, settings, options, postgres, noPostgres, results);
                }
                for (int i = first; i < results.size(); i++) {
                    results.set(i, results.get(i).inTrial(trial));
                }
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
        Map<String, String> about = about(options, settings);
        String name = LocalDate.now() + (settings.smoke() ? "-smoke" : "");
        Path base = options.out().resolve(name);
        new Report(about, results).write(base);
        System.out.println("bench: wrote " + base + ".md and .json");
        long failed = results.stream().filter(r -> r.error() != null).count();
        if (!ok || failed > 0) {
            System.err.println("bench: " + failed + " scenario run(s) failed; see the report");
            System.exit(1);
        }
    }

    /** The scenarios of one server, each family on its own fresh process(es); false if the server could not be used. */
    private static boolean runServer(ServerKind kind, Client client, Settings settings, Options options,
                                     PostgresProcess postgres, String noPostgres, List<Result> results) {
        if (kind.usesPostgres() && postgres == null) {
            results.add(Result.failed("startup", kind.label(), noPostgres));
            return false;
        }
        boolean cluster = options.wants("cluster") && kind.runs("cluster");
        // the cluster scenario's servers start afresh for it, without the start-up scenario
        boolean others = !kind.usesRedis() && (!cluster || options.scenarios().stream().anyMatch(f -> !f.equals("cluster") && kind.runs(f)));
        boolean ok = true;
        try {
            if (others) {
                ok = runAll(kind, client, settings, options, postgres, results);
            }
            if (cluster) {
                ok &= runCluster(kind, client, settings, options, results);
            }
        } catch (Exception e) {
            results.add(Result.failed(cluster && !others ? "cluster-rpc" : "startup", kind.label(), "the run against it broke off: " + e));
            ok = false;
        }
        return ok;
    }

    /**
     * The cluster scenario (bench/README.md) against fresh processes: RPC spread over the nodes
     * (one node for workjs and workjs-redis), after the long warm-up; then, for the two-node
     * clusters, fan-out to one group spread over both.
     */
    private static boolean runCluster(ServerKind kind, Client client, Settings settings, Options options,
                                      List<Result> results) throws Exception {
        System.out.println("bench: " + kind.label() + " (cluster scenario, " + kind.nodes() + " node(s)"
                + (kind.usesRedis() ? " on Redis" : "") + ")");
        try (Nodes nodes = Nodes.launch(kind, options.root(), options.jvmOptions())) {
            try {
                nodes.awaitListening(Duration.ofSeconds(90));
            } catch (Exception e) {
                results.add(Result.failed("cluster-rpc", kind.label(), e.getMessage()));
                return false;
            }
            for (ServerProcess node : nodes.nodes()) {
                if (kind.isWorkjs() && !node.jsLine().equals("JS: compiled")) {
                    results.add(Result.failed("cluster-rpc", kind.label(), "a node runs JS "
                            + (node.jsLine().isEmpty() ? "(no JS: line)" : node.jsLine()) + "; the bench needs the JIT"));
                    return false;
                }
            }
            step(results, "cluster-rpc", kind, () -> Rpc.cluster(nodes, client, settings));
            if (kind.nodes() > 1) {
                // The fan-out path is new code to the JITs of every node, compiling at once on the
                // same cores: it gets the long warm-up too (bench/RESULTS.md, section 8).
                Settings fanout = settings.withWarmup(settings.rpcWarmup());
                step(results, "cluster-fanout-1x1000", kind, () -> Fanout.run("cluster-fanout-1x1000", nodes, client, fanout, 1, 1000));
            }
            return true;
        }
    }

    /** All scenarios against one fresh server process; false if the server could not be used. */
    private static boolean runAll(ServerKind kind, Client client, Settings settings, Options options,
                                  PostgresProcess postgres, List<Result> results) throws Exception {
        System.out.println("bench: " + kind.label());
        try (ServerProcess server = ServerProcess.launch(kind, options.root(), options.jvmOptions(), postgres)) {
            Result startup = step(results, "startup", kind, () -> Startup.run(server, client, settings));
            if (startup.error() != null) {
                return false;
            }
            server.awaitListening(Duration.ofSeconds(10));
            if (kind.isWorkjs() && !server.jsLine().equals("JS: compiled")) {
                results.add(Result.failed("startup", kind.label(), "the server runs JS "
                        + (server.jsLine().isEmpty() ? "(no JS: line)" : server.jsLine()) + "; the bench needs the JIT"));
                return false;
            }
            if (options.wants("rpc") && kind.runs("rpc")) {
                Result rpc = step(results, "rpc", kind, () -> Rpc.run(server, client, settings));
                if (rpc.error() == null) {
                    step(results, "rpc-half", kind, () -> RpcAtRate.run("rpc-half", server, client, settings, rpc.get("calls/s") / 2));
                }
                // the same rate for every server, low enough that the two cores are mostly idle
                step(results, "rpc-5k", kind, () -> RpcAtRate.run("rpc-5k", server, client, settings, LIGHT_RATE));
            }
            if (options.wants("fanout") && kind.runs("fanout")) {
                for (int[] f : settings.fanouts()) {
                    step(results, "fanout-" + f[0] + "x" + f[1], kind, () -> Fanout.run(server, client, settings, f[0], f[1]));
                }
            }
            if (options.wants("idle") && kind.runs("idle")) {
                long[][] baseline = new long[1][];
                Result previous = null;
                for (int count : settings.idleCounts()) {
                    Result idle = step(results, "idle-" + count, kind, () -> {
                        if (baseline[0] == null) {
                            baseline[0] = Idle.baseline(server);
                            histogram(options, server, 0);
                        }
                        return Idle.run(server, client, count, baseline[0], () -> histogram(options, server, count));
                    });
                    Idle.addSlope(previous, idle);
                    previous = idle;
                }
            }
            if (options.wants("churn") && kind.runs("churn")) {
                step(results, "churn", kind, () -> Churn.run(server, client, settings));
            }
            if (options.wants("resume") && kind.runs("resume")) {
                step(results, "resume-storm-" + settings.stormCount(), kind, () -> ResumeStorm.run(server, client, settings.stormCount()));
                long[] baseline = Idle.baseline(server);
                step(results, "detached-" + settings.detachedCount(), kind,
                        () -> Detached.run(server, client, settings.detachedCount(), baseline));
            }
            if (options.wants("db") && kind.runs("db")) {
                // The Promise API first, from an empty table and after the long warm-up (the JIT
                // compiles the database path), as every server gets it; then WorkJS's synchronous API.
                step(results, "db-async", kind, () -> Db.run("db-async", "dbSayLater", server, client, settings, settings.rpcWarmup()));
                if (kind.isWorkjs()) {
                    step(results, "db-sync", kind, () -> Db.run("db-sync", "dbSay", server, client, settings, settings.warmup()));
                }
            }
            return true;
        }
    }

    private static Result step(List<Result> results, String scenario, ServerKind kind, Step step) {
        Result result;
        try {
            result = step.run();
        } catch (Exception e) {
            result = Result.failed(scenario, kind.label(), String.valueOf(e));
        }
        results.add(result);
        System.out.println("bench:   " + scenario + " " + (result.error() != null ? "FAILED " + result.error() : result.metrics()));
        return result;
    }

    private static Map<String, String> about(Options options, Settings settings) throws Exception {
        Map<String, String> about = new LinkedHashMap<>();
        about.put("date", LocalDate.now().toString());
        about.put("mode", settings.smoke() ? "smoke (each scenario about a second; figures not meaningful)" : "full");
        about.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        about.put("cpu", cpu());
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        about.put("memory", Math.round(os.getTotalMemorySize() / 1073741824.0) + " GiB");
        about.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        about.put("node", command("node", "--version"));
        about.put("load generator", "Netty " + io.netty.util.Version.identify().values().iterator().next().artifactVersion()
                + ", " + settings.clientThreads() + " event-loop thread(s), same process for every server");
        about.put("warm-up / measured window", "RPC after start-up " + settings.rpcWarmup().toSeconds() + " s, the other scenarios "
                + settings.warmup().toMillis() + " ms / " + settings.measure().toMillis() + " ms per scenario");
        about.put("fan-out window", settings.fanoutWindow() + " events in flight per group");
        about.put("trials", options.trials() + (options.trials() > 1 ? ", interleaved: each server once per trial, in the order given" : ""));
        about.put("JVM options of both JVM servers", options.jvmOptions().isEmpty() ? "(none)" : String.join(" ", options.jvmOptions()));
        return about;
    }

    /**
     * The processor as /proc/cpuinfo names it, with its family, model and clock, so that runs on
     * machines "of the same kind" but of another processor generation can be told apart.
     */
    private static String cpu() {
        try {
            Map<String, String> first = new LinkedHashMap<>();
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    if (!first.isEmpty()) break;   // the first processor's block ends
                    continue;
                }
                first.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            return first.getOrDefault("model name", "?") + ", family " + first.getOrDefault("cpu family", "?") + " model "
                    + first.getOrDefault("model", "?") + " stepping " + first.getOrDefault("stepping", "?") + ", "
                    + first.getOrDefault("cpu MHz", "?") + " MHz";
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The command line of {@code bench/run}. */
    /**
     * With {@code --heap-histograms}, a JVM server's class histogram ({@code jcmd GC.class_histogram},
     * after a full GC) with {@code connections} idle connections open, into OUT/histograms/: where
     * each kilobyte of a connection goes.
     */
    private static void histogram(Options options, ServerProcess server, int connections) throws Exception {
        if (!options.heapHistograms() || !server.kind().isJvm()) {
            return;
        }
        Path dir = options.out().resolve("histograms");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(server.kind().label() + "-idle-" + connections + ".txt"), server.classHistogram());
    }

    record Options(boolean smoke, List<ServerKind> servers, List<String> scenarios, Path out, Path root,
                   int clientThreads, List<String> jvmOptions, int warmupSeconds, int trials, int fanoutWindow, boolean heapHistograms) {

        /**
         * Whether the scenario family (rpc, fanout, idle, churn, resume, db, cluster) is to run;
         * start-up runs on every server but those that run only the cluster scenario.
         */
        boolean wants(String family) {
            return scenarios.contains(family);
        }

        static Options parse(String[] args) {
            boolean smoke = false;
            List<ServerKind> servers = List.of(ServerKind.values());
            Path root = Path.of("").toAbsolutePath();
            Path out = null;
            int threads = 2;   // one loop ran at 96-99% against Node's fan-out: bench/README.md, The load generator
            List<String> jvm = List.of();
            List<String> scenarios = List.of("rpc", "fanout", "idle", "churn", "resume", "db", "cluster");
            boolean histograms = false;
            int warmup = 0;
            int trials = 1;
            int window = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> smoke = true;
                    case "--servers" -> servers = java.util.Arrays.stream(args[++i].split(",")).map(ServerKind::byLabel).toList();
                    case "--out" -> out = Path.of(args[++i]);
                    case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                    case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                    case "--client-threads" -> threads = Integer.parseInt(args[++i]);
                    case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                    case "--trials" -> trials = Integer.parseInt(args[++i]);
                    case "--fanout-window" -> window = Integer.parseInt(args[++i]);
                    case "--jvm-opts" -> jvm = List.of(args[++i].trim().split("\\s+"));
                    case "--heap-histograms" -> histograms = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: bench/run [--smoke] [--servers workjs,workjs-resume,workjs-metrics,raw,node-ws,socketio,workjs-pg,node-ws-pg,"
                            + "workjs-redis,workjs-cluster,socketio-cluster] [--scenarios rpc,fanout,idle,churn,resume,db,cluster]"
                            + " [--trials N] [--warmup-seconds N] [--fanout-window N] [--out DIR] [--client-threads N] [--jvm-opts 'OPTIONS']"
                            + " [--heap-histograms]");
                }
            }
            if (!Files.isExecutable(root.resolve("workjs"))) {
                throw new IllegalArgumentException(root + " is not the repository root (no workjs launcher)");
            }
            List<String> families = List.of("rpc", "fanout", "idle", "churn", "resume", "db", "cluster");
            for (String scenario : scenarios) {
                if (!families.contains(scenario)) {
                    throw new IllegalArgumentException("--scenarios " + scenario + ": not a scenario family; give some of "
                            + String.join(",", families) + " (rpc runs rpc, rpc-half and rpc-5k; fanout both shapes; idle both counts)");
                }
            }
            if (trials < 1) {
                throw new IllegalArgumentException("--trials " + trials + ": give 1 or more");
            }
            if (window < 0 || window > 1024) {
                throw new IllegalArgumentException("--fanout-window " + window + ": give 1 to 1024 events in flight per group");
            }
            return new Options(smoke, servers, scenarios, out == null ? root.resolve("bench/results") : out, root, threads, jvm, warmup,
                    trials, window, histograms);
        }
    }
}
