package io.workjs.server.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.workjs.server.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Sessions in Redis, for a cluster: one hash per session ({@code d} its data, {@code u} its last
 * use), kept for two idle periods (the second so that an expired id stays refused, as the
 * embedded store keeps it). Every write is announced on {@code workjs:sessions}, so that nodes
 * holding the session open show it. A write returns once Redis has answered; with
 * {@code appendfsync always} that answer means it is on disk (docs/CLUSTER.md).
 */
final class RedisSessionStore implements SessionStore {
    /** KEYS: the session. ARGV: id, data, now, keep (ms). Writes, keeps, announces. */
    private static final String SAVE = """
            redis.call('HSET', KEYS[1], 'd', ARGV[2], 'u', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PUBLISH', '%s', ARGV[1] .. '\\n' .. ARGV[2])
            return 1
            """.formatted(Keys.sessionChannel());
    /** KEYS: the session. ARGV: id. Deletes and announces (an empty data part: cleared). */
    private static final String DELETE = """
            redis.call('DEL', KEYS[1])
            redis.call('PUBLISH', '%s', ARGV[1] .. '\\n')
            return 1
            """.formatted(Keys.sessionChannel());
    /** KEYS: the session. ARGV: now, keep (ms). Marks a session that exists used. */
    private static final String TOUCH = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('HSET', KEYS[1], 'u', ARGV[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1
            """;

    private final Redis redis;
    private final long keepMillis;
    private final long waitMillis;

    /** Sessions idle for {@code idleSeconds} expire; every operation waits at most {@code waitMillis} for Redis. */
    RedisSessionStore(Redis redis, long idleSeconds, long waitMillis) {
        this.redis = redis;
        this.keepMillis = 2 * idleSeconds * 1000;
        this.waitMillis = waitMillis;
        Redis.call(() -> redis.subscriptions().subscribe(Keys.sessionChannel()));
    }

    @Override
    public Stored load(String id) {
        List<?> values = await(Redis.call(() -> redis.async().hmget(Keys.session(id), "d", "u"))).stream()
                .map(kv -> kv.getValueOrElse(null)).toList();
        byte[] data = (byte[]) values.get(0);
        byte[] used = (byte[]) values.get(1);
        if (data == null || used == null) return null;
        return new Stored(new String(data, StandardCharsets.UTF_8), Long.parseLong(new String(used, StandardCharsets.US_ASCII)));
    }

    @Override
    public void save(String id, String json, long now) {
        run(SAVE, id, bytes(id), bytes(json), bytes(Long.toString(now)), bytes(Long.toString(keepMillis)));
    }

    @Override
    public void delete(String id) {
        run(DELETE, id, bytes(id));
    }

    @Override
    public void touch(String id, long now) {
        run(TOUCH, id, bytes(Long.toString(now)), bytes(Long.toString(keepMillis)));
    }

    @Override
    public void putTicket(String ticket, String value, long expiresAt) {
        long ttl = Math.max(1, expiresAt - System.currentTimeMillis());
        await(Redis.call(() -> redis.async().set(Keys.ticket(ticket), bytes(value), SetArgs.Builder.px(ttl))));
    }

    /** GETDEL: of two nodes taking the same ticket, one gets it; Redis drops it when it expires. */
    @Override
    public String takeTicket(String ticket, long now) {
        byte[] value = await(Redis.call(() -> redis.async().getdel(Keys.ticket(ticket))));
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Redis expires sessions and tickets by itself. */
    @Override
    public int sweep(long expireBefore, long forgetBefore) {
        return 0;
    }

    @Override
    public void watch(BiConsumer<String, String> changed) {
        redis.onMessage((channel, message) -> {
            if (!channel.equals(Keys.sessionChannel())) return;
            String text = new String(message, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            if (nl <= 0) return;
            String json = text.substring(nl + 1);
            changed.accept(text.substring(0, nl), json.isEmpty() ? null : json);
        });
    }

    @Override
    public boolean networked() {
        return true;
    }

    /** The connection is the cluster's: it closes with the node. */
    @Override
    public void close() {
    }

    private void run(String script, String id, byte[]... args) {
        // EVAL, not EVALSHA: Redis caches the script by its hash either way, and a write must
        // never fail for a script cache that a Redis restart emptied.
        await(Redis.call(() -> redis.async().<Long>eval(script, ScriptOutputType.INTEGER, new String[] {Keys.session(id)}, args)));
    }

    private <T> T await(java.util.concurrent.Future<T> future) {
        try {
            return future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis");
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new IllegalStateException("Redis did not answer within " + waitMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (Redis.unreachable(cause)) redis.failed(cause);
            throw new IllegalStateException("Redis: " + cause.getMessage(), cause);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
