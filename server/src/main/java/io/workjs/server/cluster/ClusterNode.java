package io.workjs.server.cluster;

import io.lettuce.core.SetArgs;
import io.workjs.runtime.DaemonThreads;
import io.workjs.runtime.GroupBus;
import io.workjs.server.config.ConfigException;
import io.workjs.server.config.Limits;
import io.workjs.server.config.ServerConfig;
import io.workjs.server.resume.Resumption;
import io.workjs.server.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * This server as a node of a cluster (CONF {@code redis}): its Redis connections, its place
 * among the nodes, and what it shares through Redis: the group bus, the session store and the
 * generated signing secret. docs/CLUSTER.md describes the whole.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.cluster");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest a stopping node waits for Redis to apply its last operations. */
    static final java.time.Duration GOODBYE = java.time.Duration.ofSeconds(2);

    private final ServerConfig config;
    private final Redis redis;
    private final String run;
    private final Scripts scripts;
    private final RedisGroupBus bus;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-cluster"));
    private Nodes nodes;
    private Reaper reaper;
    private Handover handover;
    private String name;

    private ClusterNode(ServerConfig config, Redis redis) {
        this.config = config;
        this.redis = redis;
        this.run = random(6);
        this.scripts = new Scripts(redis);
        Limits limits = config.limits();
        this.bus = new RedisGroupBus(redis, scripts, run, limits.get(Limits.REDIS_STREAM_LENGTH), limits.get(Limits.REDIS_OUTBOX));
        redis.onReconnect(() -> scripts.load().whenComplete((v, error) -> {
            if (error != null) redis.failed(error);
            else bus.reconnected();
        }));
    }

    /** Connects to the configured Redis and loads the cluster's scripts; throws a {@link ConfigException} when Redis cannot be reached. */
    public static ClusterNode connect(ServerConfig config) {
        Redis redis = Redis.connect(config.cluster().redis());
        ClusterNode node = new ClusterNode(config, redis);
        try {
            node.scripts.load().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.close();
            throw new ConfigException("cannot use Redis at " + config.cluster().redis() + ": " + e.getMessage());
        }
        return node;
    }

    /** The group bus every node of the cluster shares. */
    public GroupBus groups() {
        return bus;
    }

    /** Sessions in Redis; an operation waits at most {@code waitMillis} for it. */
    public SessionStore sessions(long waitMillis) {
        return new RedisSessionStore(redis, config.sessions().idleSeconds(), waitMillis);
    }

    /** The signing secret the nodes share when CONF has no sessionSecrets: the first node to start makes it. */
    public String sharedSecret() {
        try {
            var commands = redis.async();
            commands.set(Keys.secret(), random(32).getBytes(StandardCharsets.US_ASCII), SetArgs.Builder.nx()).get(5, TimeUnit.SECONDS);
            return new String(commands.get(Keys.secret()).get(5, TimeUnit.SECONDS), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new ConfigException("cluster: cannot read the shared session secret from Redis at " + redis.url() + ": " + e);
        }
    }

    /**
     * Takes this node's place among the others, under CONF's nodeName or {@code defaultName}
     * (host name and port), and logs who else is there. From now on it also lets the members of
     * dead nodes go, running their exit() through {@code exits}. Blocks; start-up only.
     */
    public void join(String defaultName, String address, Exits exits, Resumption resumption) {
        name = config.cluster().nodeName() != null ? config.cluster().nodeName() : defaultName;
        bus.named(name);
        handover = new Handover(redis, scripts, bus, name + "@" + run, resumption, config.limits().get(Limits.REDIS_STREAM_LENGTH),
                exits::exit);
        resumption.elsewhere(handover);
        Limits limits = config.limits();
        reaper = new Reaper(redis, scripts, name + "@" + run, run + "-reaper", limits.resumeWindowSeconds(),
                limits.get(Limits.REDIS_STREAM_LENGTH), exits::exit);
        nodes = new Nodes(redis, name, run, timer, () -> {
            bus.reportLostFromTimer();
            reaper.look();
        });
        List<String> others = nodes.join(address);
        LOG.info("cluster: node " + name + " on Redis at " + redis.url() + "; other nodes: "
                + (others.isEmpty() ? "none yet" : String.join(", ", others)));
    }

    /** This node's name among the others. */
    public String name() {
        return name;
    }

    /** Events this node could not hand to Redis (its outbox was full), since start. */
    public long droppedEvents() {
        return bus.droppedEvents();
    }

    /** Group operations of this node that Redis has not applied yet. */
    public int waitingOperations() {
        return bus.waitingOperations();
    }

    /** True while this node can reach Redis. */
    public boolean redisUp() {
        return redis.up();
    }

    /** Where the exit() of a dead node's member runs: the runtime's {@code exitElsewhere}. */
    @FunctionalInterface
    public interface Exits {
        void exit(String groupId, String memberId, String state, String session);
    }

    /**
     * Says goodbye: waits (at most {@link #GOODBYE}) for Redis to apply what this node still
     * has to say (its members' leaves, as the server closed their connections), then removes its
     * sign of life. If that cannot be, its run stays listed, and another node lets the leftover
     * members go as it would a dead node's.
     */
    @Override
    public void close() {
        if (reaper != null) reaper.close();
        if (handover != null) handover.close();
        long deadline = System.nanoTime() + GOODBYE.toNanos();
        while (bus.waitingOperations() > 0 && redis.up() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);   // shutdown only: the outbox has no completion to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (nodes != null) nodes.close(bus.waitingOperations() == 0);
        timer.shutdownNow();
        redis.close();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
