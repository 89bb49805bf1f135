package io.workjs.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Members per group of a controller, on every node ({@code require('workjs').groups}): the
 * scripts count each member's first state and its leave in {@code workjs:sizes:CONTROLLER} and
 * announce each change on {@code workjs:sizes}. A node keeps the counts of each controller that
 * anyone here asked about, from then on: loaded from Redis (and again after each return of
 * Redis), kept up to date from the announcements. On the loop, but for what Redis's threads hand it.
 */
final class GroupSizes {
    private final Redis redis;
    private Executor loop;
    private Consumer<String> changed = controller -> { };
    // On the loop only.
    private final Map<String, Map<String, Integer>> known = new HashMap<>();
    /** Announcements heard while a controller's counts load, applied after. */
    private final Map<String, List<String[]>> loading = new HashMap<>();

    GroupSizes(Redis redis) {
        this.redis = redis;
        redis.onMessage((channel, message) -> {
            if (!channel.equals(Keys.sizesChannel())) return;
            String[] change = new String(message, StandardCharsets.UTF_8).split("\n", 3);
            if (change.length == 3 && loop != null) loop.execute(() -> heard(change));
        });
        Redis.call(() -> redis.subscriptions().subscribe(Keys.sizesChannel()));
    }

    void start(Executor loop) {
        this.loop = loop;
    }

    /** Calls {@code changed(controller)} on the loop after each change. */
    void watch(Consumer<String> changed) {
        this.changed = changed;
    }

    /** The controller's counts as this node knows them now; kept from this first call on. */
    Map<String, Integer> of(String controller) {
        Map<String, Integer> counts = known.get(controller);
        if (counts == null) {
            counts = new HashMap<>();
            known.put(controller, counts);
            load(controller);
        }
        return Map.copyOf(counts);
    }

    /** Redis is back: every kept controller's counts are read again. */
    void reload() {
        for (String controller : List.copyOf(known.keySet())) load(controller);
    }

    private void load(String controller) {
        loading.put(controller, new ArrayList<>());
        Redis.call(() -> redis.async().hgetall(Keys.sizes(controller)))
                .whenComplete((all, error) -> loop.execute(() -> loaded(controller, all, error)));
    }

    private void loaded(String controller, Map<String, byte[]> all, Throwable error) {
        List<String[]> heard = loading.remove(controller);
        Map<String, Integer> counts = known.get(controller);
        if (error != null || counts == null) return;   // Redis's return loads it again
        counts.clear();
        all.forEach((key, n) -> counts.put(key, Integer.parseInt(new String(n, StandardCharsets.US_ASCII))));
        if (heard != null) for (String[] change : heard) apply(counts, change);
        changed.accept(controller);
    }

    private void heard(String[] change) {
        Map<String, Integer> counts = known.get(change[0]);
        if (counts == null) return;   // nobody here asked about this controller
        List<String[]> waiting = loading.get(change[0]);
        if (waiting != null) {
            waiting.add(change);
            return;
        }
        apply(counts, change);
        changed.accept(change[0]);
    }

    private static void apply(Map<String, Integer> counts, String[] change) {
        int n = Integer.parseInt(change[2]);
        if (n > 0) counts.put(change[1], n);
        else counts.remove(change[1]);
    }
}
