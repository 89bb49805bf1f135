package io.workjs.server.cluster;

import io.lettuce.core.SetArgs;
import io.workjs.server.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * This node among the others: a sign of life in Redis ({@code workjs:alive:NAME}, holding the
 * run) renewed every {@link #BEAT}, expiring after {@link #ALIVE}, and an entry in
 * {@code workjs:nodes}. The heartbeat is also how the node learns that Redis is back after an
 * outage ({@link Redis#answered}).
 */
final class Nodes implements AutoCloseable {
    /** How often a node renews its sign of life. */
    static final Duration BEAT = Duration.ofSeconds(1);
    /** How long a sign of life lasts: a node silent this long is taken for dead. */
    static final Duration ALIVE = Duration.ofSeconds(5);

    private final Redis redis;
    private final String name;
    private final String run;
    private final ScheduledExecutorService timer;
    private final Runnable afterBeat;
    private ScheduledFuture<?> beating;

    Nodes(Redis redis, String name, String run, ScheduledExecutorService timer, Runnable afterBeat) {
        this.redis = redis;
        this.name = name;
        this.run = run;
        this.timer = timer;
        this.afterBeat = afterBeat;
    }

    /**
     * Registers this node and starts its heartbeat; returns the other nodes that are up. Blocks
     * (start-up only). A node restarted under its name waits for its earlier run's sign of life
     * to expire; a name that a running node holds is refused.
     */
    List<String> join(String address) {
        try {
            var sync = redis.async();
            long deadline = System.nanoTime() + ALIVE.plusSeconds(1).toNanos();
            while (true) {
                byte[] holder = sync.get(Keys.alive(name)).get(5, TimeUnit.SECONDS);
                if (holder == null || new String(holder, StandardCharsets.UTF_8).equals(run)) break;
                if (System.nanoTime() > deadline) {
                    throw new ConfigException("cluster: node name \"" + name + "\" is taken by a running node; "
                            + "give each node its own nodeName (CONF \"nodeName\" or --node-name)");
                }
                Thread.sleep(200);   // start-up only: the earlier run's sign of life expires within ALIVE
            }
            beat().get(5, TimeUnit.SECONDS);
            String entry = "{\"run\":\"" + run + "\",\"address\":\"" + address + "\",\"since\":" + System.currentTimeMillis() + "}";
            sync.hset(Keys.nodes(), name, entry.getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            sync.hset(Keys.runs(), name + "@" + run, entry.getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            List<String> others = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : sync.hgetall(Keys.nodes()).get(5, TimeUnit.SECONDS).entrySet()) {
                if (e.getKey().equals(name)) continue;
                if (sync.exists(Keys.alive(e.getKey())).get(5, TimeUnit.SECONDS) > 0) others.add(e.getKey());
            }
            beating = timer.scheduleWithFixedDelay(this::heartbeat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
            return others;
        } catch (ConfigException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("cluster: interrupted while joining");
        } catch (Exception e) {
            throw new ConfigException("cluster: cannot register node \"" + name + "\" in Redis at " + redis.url() + ": " + e);
        }
    }

    private java.util.concurrent.CompletableFuture<String> beat() {
        return Redis.call(() -> redis.async().set(Keys.alive(name), run.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.px(ALIVE.toMillis())));
    }

    private void heartbeat() {
        beat().whenComplete((ok, error) -> {
            if (error == null) {
                redis.answered();
                afterBeat.run();
            } else if (Redis.unreachable(error)) {
                redis.failed(error);
            }
        });
    }

    /**
     * Stops the heartbeat and says goodbye: the node's sign of life and entry go at once, and
     * its run too when {@code clean} (nothing of it is left in Redis for another node to let go).
     */
    void close(boolean clean) {
        if (beating != null) beating.cancel(false);
        try {
            redis.async().del(Keys.alive(name)).get(2, TimeUnit.SECONDS);
            redis.async().hdel(Keys.nodes(), name).get(2, TimeUnit.SECONDS);
            if (clean) redis.async().hdel(Keys.runs(), name + "@" + run).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Redis is away: the sign of life expires by itself
        }
    }

    @Override
    public void close() {
        close(true);
    }
}
