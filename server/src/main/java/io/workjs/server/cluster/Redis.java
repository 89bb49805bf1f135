package io.workjs.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.workjs.server.config.ConfigException;
import io.workjs.server.config.RedisUrl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * A node's two connections to Redis, shared by everything of the cluster: one for commands,
 * one for pub/sub. Keys and channels are strings, values bytes, so that an event's bytes pass
 * through without being decoded. Lettuce reconnects and re-subscribes by itself; while it is
 * disconnected, commands fail at once instead of queueing without bound (the cluster keeps its
 * own bounded outbox), and whoever listens here is told when the command connection comes back,
 * to resynchronise. Nothing here blocks except {@link #connect}, at start-up.
 */
final class Redis implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.cluster");
    /** The longest a command may wait for Redis's answer before it fails. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** The longest wait between two attempts to reconnect. */
    static final Duration RECONNECT_MAX = Duration.ofSeconds(1);
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisUrl url;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    private final List<Runnable> disconnected = new CopyOnWriteArrayList<>();
    private volatile boolean up = true;
    /** Set while a failure's tasks run, so that one failure runs them once. */
    private final AtomicBoolean noticing = new AtomicBoolean();
    private volatile boolean closing;

    private Redis(RedisUrl url, ClientResources resources, RedisClient client, StatefulRedisConnection<String, byte[]> commands,
            StatefulRedisPubSubConnection<String, byte[]> pubsub) {
        this.url = url;
        this.resources = resources;
        this.client = client;
        this.commands = commands;
        this.pubsub = pubsub;
    }

    /** Connects both connections; throws a {@link ConfigException} naming the URL when Redis cannot be reached. */
    static Redis connect(RedisUrl url) {
        // Reconnect attempts back off from 50 ms to at most RECONNECT_MAX apart, with jitter: a
        // node notices Redis's return within that, however long it was away.
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(50), RECONNECT_MAX, 2, TimeUnit.MILLISECONDS)).build();
        RedisClient client = RedisClient.create(resources, url.uri());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        StatefulRedisConnection<String, byte[]> commands = null;
        try {
            commands = client.connect(CODEC);
            StatefulRedisPubSubConnection<String, byte[]> pubsub = client.connectPubSub(CODEC);
            Redis redis = new Redis(url, resources, client, commands, pubsub);
            client.addListener(redis.new StateListener());
            return redis;
        } catch (RedisException e) {
            if (commands != null) commands.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new ConfigException("cannot reach Redis at " + url + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return String.valueOf(e.getMessage());
    }

    /**
     * Runs a command. While the connection is down Lettuce refuses a command by throwing at
     * once; here that comes back as a failed stage, like every other failure, never as a throw
     * (which would, for one, end a scheduled task for good).
     */
    static <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> command) {
        try {
            return command.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Asynchronous commands; every call returns at once (see {@link #call}). */
    RedisAsyncCommands<String, byte[]> async() {
        return commands.async();
    }

    /** The pub/sub connection's asynchronous commands. */
    io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands<String, byte[]> subscriptions() {
        return pubsub.async();
    }

    /** Hears every message, sharded or not, on a Netty thread: hand the work on, never block. */
    void onMessage(BiConsumer<String, byte[]> listener) {
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                listener.accept(channel, message);
            }

            @Override
            public void smessage(String channel, byte[] message) {
                listener.accept(channel, message);
            }
        });
    }

    /** Runs {@code task} (on the cluster's timer thread) each time Redis is back after being down. */
    void onReconnect(Runnable task) {
        reconnected.add(task);
    }

    /** Runs {@code task} each time Redis goes down (on whichever thread noticed first). */
    void onDisconnect(Runnable task) {
        disconnected.add(task);
    }

    /** True while Redis answers, as far as this node knows. */
    boolean up() {
        return up;
    }

    /**
     * A command failed for want of Redis (not because Redis refused it): Redis counts as down
     * until the next heartbeat gets an answer ({@link #answered}).
     */
    void failed(Throwable cause) {
        if (!up || closing || !noticing.compareAndSet(false, true)) return;
        LOG.warning("lost Redis at " + url + " (" + rootMessage(cause) + "): reconnecting; group events wait in this node's outbox");
        try {
            // Whoever acts on the loss (the outbox stops sending) has done so before up() says it.
            for (Runnable task : disconnected) run(task);
        } finally {
            up = false;
            noticing.set(false);
        }
    }

    /** A heartbeat got its answer: if Redis was down, it is back, and whoever resynchronises does so now. */
    void answered() {
        if (up) return;
        synchronized (this) {
            if (up) return;
            up = true;
        }
        LOG.info("Redis at " + url + " is back: resynchronising");
        for (Runnable task : reconnected) run(task);
    }

    /** True for a failure that says Redis could not be asked or did not answer, as opposed to an error it replied. */
    static boolean unreachable(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        return !(t instanceof io.lettuce.core.RedisCommandExecutionException) || String.valueOf(t.getMessage()).startsWith("NOSCRIPT")
                || String.valueOf(t.getMessage()).startsWith("LOADING");
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.SEVERE, "cluster: a task on Redis's return failed", e);
        }
    }

    RedisUrl url() {
        return url;
    }

    @Override
    public void close() {
        closing = true;
        pubsub.close();
        commands.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * The client's word that a connection dropped counts as a failure at once, not at the next
     * heartbeat; so does the pub/sub connection's, as messages published meanwhile never
     * arrive (the groups catch up from their streams once Redis answers again).
     */
    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == commands || connection == pubsub) failed(new RedisException("connection closed"));
        }
    }
}
