package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.workjs.server.support.FreePorts;
import io.workjs.server.support.Nginx;
import io.workjs.server.support.NodeProcess;
import io.workjs.server.support.RedisServer;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.TestSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster under fire: 3 nodes behind nginx, 300 resumable connections in 10 groups, 1,000
 * events a second in all, for 60 s, while a random node is killed with SIGKILL and restarted
 * every 15 s (3 times; the load goes on until they have happened) and Redis is killed and
 * restarted once. At the end every connection has seen every
 * event of its group (as the group's stream has them) exactly once and in each sender's order,
 * or was told of a gap; the gaps are counted and printed.
 */
@Timeout(420)
class ClusterSoakIT {
    static final int NODES = 3;
    static final int GROUPS = 10;
    static final int MEMBERS = 30;   // per group: 300 in all
    static final int EVENTS_PER_SECOND = 1000;
    static final int SECONDS = 60;
    static final int KILL_EVERY_SECONDS = 15;
    static final int KILLS = 3;
    static final int OVERTIME_SECONDS = 60;
    static final int WINDOW = 30;
    /** Longer than any group's stream gets in the soak ({@code redisStreamLength}). */
    static final int STREAM_LENGTH = 50_000;

    @TempDir
    Path temp;
    RedisServer redis;
    Nginx nginx;
    final NodeProcess[] nodes = new NodeProcess[NODES];
    final int[] ports = new int[NODES];
    final List<ResumeClient> clients = new ArrayList<>();
    Path site;
    /** exit() of a connection that ended during the soak emits "left": there should be none. */
    final Set<String> left = new java.util.concurrent.ConcurrentSkipListSet<>();

    /** The last node restart, running on a thread of its own. */
    CompletableFuture<Void> restarting = CompletableFuture.completedFuture(null);

    @AfterEach
    void stop() {
        clients.forEach(ResumeClient::close);
        try {
            restarting.get(100, TimeUnit.SECONDS);   // a node it starts is closed below too
        } catch (Exception e) {
            // a failed start: nothing of it to close
        }
        for (NodeProcess n : nodes) if (n != null) n.close();
        if (nginx != null) nginx.close();
        if (redis != null) redis.close();
    }

    @Test
    void everyConnectionSeesEveryEventOfItsGroupOnceOrIsToldOfAGap() throws Exception {
        redis = RedisServer.start();
        site = TestSite.copy("cluster", temp.resolve("site"));
        // Each group's stream keeps every event of the soak (at most 120 s at 100 a second, and the
        // membership entries): the check below takes the streams as the truth, and a trimmed
        // stream would leave out the oldest events the members did get.
        Files.writeString(site.resolve("CONF"), "{\"resumeWindowSeconds\": " + WINDOW + ", \"maxConnectionsPerAddress\": 10000, "
                + "\"redisStreamLength\": " + STREAM_LENGTH + "}");
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            ports[i] = FreePorts.next();
            nodes[i] = start(i);
            upstreams.add(nodes[i].url());
        }
        nginx = Nginx.start(upstreams);

        // Members, then one sender per group, all through the load balancer.
        Map<ResumeClient, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < GROUPS; g++) {
            for (int m = 0; m < MEMBERS; m++) {
                ResumeClient c = ResumeClient.connect(nginx.url(), "/room/soak-" + g);
                clients.add(c);
                groupOf.put(c, g);
            }
        }
        List<ResumeClient> senders = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            ResumeClient s = ResumeClient.connect(nginx.url(), "/room/soak-" + g);
            senders.add(s);
            clients.add(s);
        }

        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        AtomicLong sent = new AtomicLong();
        long periodMicros = 1_000_000L * GROUPS / EVENTS_PER_SECOND;
        int[] next = new int[GROUPS];
        for (int g = 0; g < GROUPS; g++) {
            int group = g;
            load.scheduleAtFixedRate(() -> {
                senders.get(group).send("[\"say\",\"g" + group + "-" + (next[group]++) + "\"]");
                sent.incrementAndGet();
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
        }

        // A node restarts on a thread of its own (on 2 loaded cores that takes 20 s or more), so
        // the schedule keeps its time; the next kill waits for the last restart, so one node at a
        // time is down. The load goes on past SECONDS until the kills and the Redis restart have
        // all happened, for at most OVERTIME_SECONDS more.
        Random random = new Random(12);
        long start = System.nanoTime();
        int kills = 0;
        boolean redisRestarted = false;
        while (true) {
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            boolean scheduleDone = kills >= KILLS && redisRestarted;
            if (elapsed >= SECONDS && scheduleDone || elapsed >= SECONDS + OVERTIME_SECONDS) break;
            if (kills < KILLS && elapsed >= (long) (kills + 1) * KILL_EVERY_SECONDS && restarting.isDone()) {
                int victim = random.nextInt(NODES);
                nodes[victim].kill();
                kills++;
                restarting = CompletableFuture.runAsync(() -> nodes[victim] = start(victim));
                System.out.println("soak: killed node " + victim + " at " + elapsed + " s");
            }
            if (!redisRestarted && elapsed >= 37) {
                redis.kill();
                redis.restart();
                redisRestarted = true;
                System.out.println("soak: killed and restarted Redis at " + elapsed + " s");
            }
            Thread.sleep(200);   // the schedule's tick: kills come at whole seconds
        }
        restarting.join();
        System.out.println("soak: load ran " + (System.nanoTime() - start) / 1_000_000_000L + " s");
        load.shutdownNow();
        load.awaitTermination(5, TimeUnit.SECONDS);

        // The truth: each group's stream, in its one order, once the last events have reached it
        // (two reads alike, at most 20 s after the load stopped).
        Map<Integer, List<String>> truth = new HashMap<>();
        long quiet = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Map<Integer, List<String>> now = new HashMap<>();
            for (int g = 0; g < GROUPS; g++) now.put(g, stream(g));
            if (now.equals(truth) || System.nanoTime() > quiet) break;
            truth = now;
            Thread.sleep(500);
        }

        // Wait (bounded) for the clients to have what the streams have.
        long settle = System.nanoTime() + 60_000_000_000L;
        Map<ResumeClient, List<String>> seen = new HashMap<>();
        for (ResumeClient c : clients) seen.put(c, new ArrayList<>());
        while (System.nanoTime() < settle) {
            boolean done = true;
            for (ResumeClient c : groupOf.keySet()) {
                drain(c, seen.get(c));
                if (seen.get(c).size() < truth.get(groupOf.get(c)).size() && !toldOfGap(c, seen.get(c))) done = false;
            }
            if (done) break;
            Thread.sleep(200);
        }

        int gaps = 0;
        int complete = 0;
        List<String> problems = new ArrayList<>();
        for (ResumeClient c : groupOf.keySet()) {
            int g = groupOf.get(c);
            List<String> events = seen.get(c).stream().filter(f -> f.startsWith("[\"said\"")).map(ClusterSoakIT::payload).toList();
            Set<String> unique = new HashSet<>(events);
            if (unique.size() != events.size()) {
                String dup = events.stream().filter(e -> events.indexOf(e) != events.lastIndexOf(e)).findFirst().orElseThrow();
                problems.add("duplicates at a member of group " + g + ", e.g. " + seen.get(c).stream().filter(f -> f.contains("\"" + dup + "\""))
                        .toList() + "; welcomes " + c.welcomes + "; the sender's welcomes " + senders.get(g).welcomes);
            }
            int before = -1;   // one sender per group: its events in the order it sent them
            boolean shown = false;
            for (int k = 0; k < events.size(); k++) {
                String e = events.get(k);
                int n = Integer.parseInt(e.substring(e.indexOf('-') + 1));
                if (n <= before) {
                    problems.add("out of order at a member of group " + g + ": " + before + " then " + n
                            + (shown ? "" : "; frames around it " + around(seen.get(c), e) + "; welcomes " + c.welcomes
                            + "; runs " + runs(seen.get(c))));
                    shown = true;
                }
                before = n;
            }
            Set<String> expected = new HashSet<>(truth.get(g));
            if (!expected.containsAll(unique)) {
                problems.add("events not in the stream at a member of group " + g + ": "
                        + unique.stream().filter(e -> !expected.contains(e)).limit(5).toList() + "; welcomes " + c.welcomes);
            }
            boolean gap = toldOfGap(c, seen.get(c));
            if (unique.containsAll(expected)) complete++;
            else if (gap) gaps++;
            else problems.add("a member of group " + g + " misses " + expected.stream().filter(e -> !unique.contains(e)).limit(10).toList()
                    + ", untold; welcomes " + c.welcomes + "; its last frames " + seen.get(c).subList(Math.max(0, seen.get(c).size() - 5), seen.get(c).size()));
        }
        System.out.println("soak: " + sent.get() + " events sent, " + kills + " node kills, Redis restarted " + redisRestarted + "; "
                + complete + " of " + groupOf.size() + " connections saw every event of their group once and in order, "
                + gaps + " were told of a gap");
        problems.sort(java.util.Comparator.comparing(p -> p.contains("untold") ? 0 : 1));
        // A connection ends during the soak only when its client was given a new one instead
        // (a sender whose resume could not be had, say): then its exit() runs, once.
        long renewed = clients.stream().filter(c -> c.welcomes.stream().skip(1).anyMatch(w -> !w.resumed())).count();
        System.out.println("soak: " + left.size() + " connection(s) ended during the soak; " + renewed + " client(s) given a new connection");
        assertTrue(left.size() <= renewed, "a connection ended only when its client was told: " + left);
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.subList(0, Math.min(10, problems.size())));
        assertEquals(groupOf.size(), complete + gaps);
        assertTrue(kills >= KILLS && redisRestarted, kills + " node kills, Redis restarted " + redisRestarted);
    }

    private NodeProcess start(int i) {
        return NodeProcess.start(ports[i], temp.resolve("data-" + i), "--redis", redis.url(), "--node-name", "n" + i, site.toString());
    }

    /** The group's events as its stream has them, in order: their payloads. */
    private List<String> stream(int g) throws Exception {
        List<String> events = new ArrayList<>();
        for (String entry : redis.groupStream("room.ws", "soak-" + g)) {
            String[] parts = entry.split("\n", 5);
            if (parts.length == 5 && parts[0].equals("e") && parts[4].startsWith("[\"said\"")) events.add(payload(parts[4]));
            if (parts.length == 5 && parts[0].equals("e") && parts[4].startsWith("[\"left\"")) left.add(parts[4]);
        }
        return events;
    }

    private static String payload(String frame) {
        JsonArray a = JsonParser.parseString(frame).getAsJsonArray();
        return a.get(1).getAsString();
    }

    /** The events received as runs of consecutive numbers, P for those with a position, U without: "P0-3661 U3662-3700 ...". */
    private static String runs(List<String> frames) {
        StringBuilder out = new StringBuilder();
        int start = -2;
        int last = -2;
        boolean positioned = false;
        for (String f : frames) {
            if (!f.startsWith("[\"said\"")) {
                out.append(" [").append(f.length() > 60 ? f.substring(0, 60) : f).append(']');
                continue;
            }
            JsonArray a = JsonParser.parseString(f).getAsJsonArray();
            String e = a.get(1).getAsString();
            int n = Integer.parseInt(e.substring(e.indexOf('-') + 1));
            boolean p = a.size() == 3;
            if (n == last + 1 && p == positioned) {
                last = n;
                continue;
            }
            if (start >= 0) out.append(positioned ? " P" : " U").append(start).append('-').append(last);
            start = n;
            last = n;
            positioned = p;
        }
        if (start >= 0) out.append(positioned ? " P" : " U").append(start).append('-').append(last);
        return out.toString();
    }

    /** The frames just before and after the first one with {@code payload}, for a failure's message. */
    private static List<String> around(List<String> frames, String payload) {
        int at = 0;
        for (int i = 0; i < frames.size(); i++) if (frames.get(i).contains("\"" + payload + "\"")) at = i;
        return frames.subList(Math.max(0, at - 4), Math.min(frames.size(), at + 3));
    }

    private static void drain(ResumeClient c, List<String> into) {
        for (String f; (f = c.messages.poll()) != null; ) into.add(f);
    }

    /** True when the client was told it may have missed events: EVENTS_LOST, or a new connection instead of a resume. */
    private static boolean toldOfGap(ResumeClient c, List<String> frames) {
        if (frames.stream().anyMatch(f -> f.contains("\"EVENTS_LOST\""))) return true;
        return c.welcomes.stream().skip(1).anyMatch(w -> !w.resumed());
    }
}
