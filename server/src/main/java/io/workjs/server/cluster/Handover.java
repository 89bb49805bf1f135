package io.workjs.server.cluster;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.workjs.runtime.DaemonThreads;
import io.workjs.server.resume.Elsewhere;
import io.workjs.server.resume.Reasons;
import io.workjs.server.resume.Resumption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Resumption across nodes. Each token is recorded in Redis under its hash with the node run and
 * connection it names. A client that resumes on another node than the one that has its
 * connection is claimed from there: a live node hands the connection over (it ends there as
 * moved, and the messages the client lacks come along, numbered on), on request through its
 * own channel; a dead node's connection is taken over from its last state in Redis (a
 * {@link Scripts#MOVE} only one node can win, against the {@link Reaper}), and the client is
 * told what only that node had is lost. Group events are replayed from the group's stream
 * after the position the client reports, in either case (GroupBus.rejoin).
 */
final class Handover implements Elsewhere, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.cluster");
    private static final Gson GSON = new Gson();
    /** The longest a claim waits for the node that has the connection to answer. */
    static final long ANSWER_MILLIS = 2000;
    /** How often a claim looks whether a node that did not answer has lost its sign of life. */
    private static final long DEATH_POLL_MILLIS = 250;

    private final Redis redis;
    private final Scripts scripts;
    private final RedisGroupBus bus;
    private final String me;
    private final Resumption resumption;
    private final int streamLength;
    private final Reaper.Exits exits;
    private final Map<String, CompletableFuture<JsonObject>> asked = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("workjs-cluster-handover"));

    Handover(Redis redis, Scripts scripts, RedisGroupBus bus, String me, Resumption resumption, int streamLength, Reaper.Exits exits) {
        this.streamLength = streamLength;
        this.exits = exits;
        this.redis = redis;
        this.scripts = scripts;
        this.bus = bus;
        this.me = me;
        this.resumption = resumption;
        redis.onMessage((channel, message) -> {
            if (channel.equals(Keys.nodeChannel(me))) worker.execute(() -> heard(new String(message, StandardCharsets.UTF_8)));
        });
        Redis.call(() -> redis.subscriptions().subscribe(Keys.nodeChannel(me)));
    }

    @Override
    public void registered(String token, String connectionId) {
        String h = hash(token);
        Redis.call(() -> redis.async().set(Keys.token(h), (me + "\n" + connectionId).getBytes(StandardCharsets.UTF_8)));
        Redis.call(() -> redis.async().sadd(Keys.nodeTokens(me), h.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void retired(String token) {
        String h = hash(token);
        Redis.call(() -> redis.async().del(Keys.token(h)));
        Redis.call(() -> redis.async().srem(Keys.nodeTokens(me), h.getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public CompletionStage<Arrival> claim(String token, String sessionId, long clientReceived) {
        String h = hash(token);
        return Redis.call(() -> redis.async().get(Keys.token(h))).thenCompose(named -> {
            if (named == null) return CompletableFuture.completedFuture(Arrival.refusal(Reasons.UNKNOWN_TOKEN));
            String[] parts = new String(named, StandardCharsets.UTF_8).split("\n", 2);
            String node = parts[0];
            String connectionId = parts[1];
            if (node.equals(me)) return CompletableFuture.completedFuture(Arrival.refusal(Reasons.UNKNOWN_TOKEN));
            String name = node.substring(0, node.lastIndexOf('@'));
            String run = node.substring(node.lastIndexOf('@') + 1);
            return alive(name, run).thenCompose(up -> up
                    ? ask(node, token, sessionId, clientReceived).exceptionallyCompose(silent ->
                            // No answer: the node may have just died, its sign of life not yet
                            // expired. Wait for that (at most Nodes.ALIVE), then take over.
                            awaitDeath(name, run, System.nanoTime() + Nodes.ALIVE.plusSeconds(1).toNanos()).thenCompose(dead -> dead
                                    ? takeOver(node, connectionId, h, sessionId)
                                    : CompletableFuture.completedFuture(Arrival.refusal(Reasons.CLUSTER_UNAVAILABLE))))
                    : takeOver(node, connectionId, h, sessionId));
        }).exceptionally(error -> {
            LOG.log(Level.FINE, "cluster: a resume across nodes failed", error);
            return Arrival.refusal(Reasons.CLUSTER_UNAVAILABLE);
        });
    }

    /** True while the node's run has a sign of life. */
    private CompletableFuture<Boolean> alive(String name, String run) {
        return Redis.call(() -> redis.async().get(Keys.alive(name)))
                .thenApply(alive -> alive != null && new String(alive, StandardCharsets.UTF_8).equals(run));
    }

    /** Completes with true once the run's sign of life is gone, false if it is still there at {@code deadline}. */
    private CompletableFuture<Boolean> awaitDeath(String name, String run, long deadline) {
        return alive(name, run).thenCompose(up -> {
            if (!up) return CompletableFuture.completedFuture(true);
            if (System.nanoTime() > deadline) return CompletableFuture.completedFuture(false);
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(DEATH_POLL_MILLIS, TimeUnit.MILLISECONDS))
                    .thenCompose(v -> awaitDeath(name, run, deadline));
        });
    }

    /** Asks the live node that has the connection to hand it over; its answer comes on this node's channel. */
    private CompletionStage<Arrival> ask(String node, String token, String sessionId, long clientReceived) {
        String request = UUID.randomUUID().toString();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        asked.put(request, answer);
        JsonObject ask = new JsonObject();
        ask.addProperty("request", request);
        ask.addProperty("from", me);
        ask.addProperty("token", token);
        ask.addProperty("session", sessionId);
        ask.addProperty("received", clientReceived);
        Redis.call(() -> redis.async().publish(Keys.nodeChannel(node), ("handover\n" + ask).getBytes(StandardCharsets.UTF_8)));
        return answer.orTimeout(ANSWER_MILLIS, TimeUnit.MILLISECONDS).whenComplete((a, e) -> asked.remove(request)).thenApply(a -> {
            if (a.has("reason")) return Arrival.refusal(a.get("reason").getAsString());
            JsonObject d = a.getAsJsonObject("departure");
            List<String> messages = d.getAsJsonArray("messages").asList().stream().map(e -> e.getAsString()).toList();
            Departure departure = new Departure(null, a.get("connection").getAsString(), d.get("received").getAsLong(),
                    d.get("next").getAsLong(), messages, d.has("lastEvent") ? d.get("lastEvent").getAsString() : null);
            return new Arrival(null, a.get("connection").getAsString(), a.get("group").getAsString(), a.get("state").getAsString(),
                    a.has("session") ? a.get("session").getAsString() : null, a.has("joined") ? a.get("joined").getAsString() : null, departure);
        });
    }

    /** Takes a dead node's connection over from its last state in Redis, unless it has been let go (or taken) already. */
    private CompletionStage<Arrival> takeOver(String node, String connectionId, String tokenHash, String sessionId) {
        return Redis.call(() -> redis.async().smembers(Keys.nodeGroups(node))).thenCompose(groupIds -> {
            CompletableFuture<Arrival> result = CompletableFuture.completedFuture(Arrival.refusal(Reasons.UNKNOWN_TOKEN));
            for (byte[] g : groupIds) {
                String groupId = new String(g, StandardCharsets.UTF_8);
                result = result.thenCompose(found -> found.reason() == null || !found.reason().equals(Reasons.UNKNOWN_TOKEN)
                        ? CompletableFuture.completedFuture(found)
                        : Redis.call(() -> redis.async().hget(Keys.members(Keys.group(groupId)), connectionId)).thenCompose(value -> {
                            if (value == null) return CompletableFuture.completedFuture(Arrival.refusal(Reasons.UNKNOWN_TOKEN));
                            MemberRecord record = MemberRecord.parse(new String(value, StandardCharsets.UTF_8));
                            if (!java.util.Objects.equals(record.session(), sessionId)) {
                                return CompletableFuture.completedFuture(Arrival.refusal(Reasons.SESSION_MISMATCH));
                            }
                            return scripts.move(groupId, connectionId, node, me).thenApply(taken -> {
                                if (taken == null) return Arrival.refusal(Reasons.WINDOW_OVER);   // let go, or taken by another node
                                MemberRecord last = MemberRecord.parse(new String(taken, StandardCharsets.UTF_8));
                                return new Arrival(null, connectionId, groupId, last.state(), last.session(), last.joined(), null);
                            });
                        }));
            }
            return result.whenComplete((a, e) -> {
                if (a != null && a.reason() == null) {
                    Redis.call(() -> redis.async().del(Keys.token(tokenHash)));
                    Redis.call(() -> redis.async().srem(Keys.nodeTokens(node), tokenHash.getBytes(StandardCharsets.US_ASCII)));
                }
            });
        });
    }

    /** A message on this node's channel: another node's request, or the answer to one of ours. */
    private void heard(String message) {
        int nl = message.indexOf('\n');
        if (nl < 0) return;
        String kind = message.substring(0, nl);
        JsonObject body;
        try {
            body = GSON.fromJson(message.substring(nl + 1), JsonObject.class);
        } catch (RuntimeException e) {
            return;
        }
        if (kind.equals("handed")) {
            CompletableFuture<JsonObject> answer = asked.get(body.get("request").getAsString());
            if (answer != null) answer.complete(body);
            else if (body.has("group")) orphaned(body);
        } else if (kind.equals("handover")) {
            serve(body);
        }
    }

    /**
     * A hand-over that came after this node had given up waiting for it (the client was given a
     * new connection): the connection is this node's now, with no client; it ends here, and its
     * exit() runs, as if it had expired.
     */
    private void orphaned(JsonObject handed) {
        String groupId = handed.get("group").getAsString();
        String id = handed.get("connection").getAsString();
        scripts.leaveIf(streamLength, groupId, id, me, me + "-orphans").thenAccept(won -> {
            if (won == null) return;
            MemberRecord last = MemberRecord.parse(new String(won, StandardCharsets.UTF_8));
            exits.exit(groupId, id, last.state(), last.session());
        });
    }

    /** Hands one of this node's connections over to the node whose client resumed it. */
    private void serve(JsonObject ask) {
        String from = ask.get("from").getAsString();
        JsonObject answer = new JsonObject();
        answer.addProperty("request", ask.get("request").getAsString());
        Departure d = null;
        String groupId = null;
        try {
            String session = ask.has("session") && !ask.get("session").isJsonNull() ? ask.get("session").getAsString() : null;
            d = resumption.handOver(ask.get("token").getAsString(), session, ask.get("received").getAsLong());
            if (d.reason() != null) {
                answer.addProperty("reason", d.reason());
            } else {
                groupId = bus.takeGroupOf(d.connectionId());
                bus.drained().get(ANSWER_MILLIS / 2, TimeUnit.MILLISECONDS);   // its last state is in Redis
                byte[] taken = groupId == null ? null
                        : scripts.move(groupId, d.connectionId(), me, from).get(ANSWER_MILLIS / 2, TimeUnit.MILLISECONDS);
                if (taken == null) {
                    answer.addProperty("reason", Reasons.UNKNOWN_TOKEN);   // it was not in a group yet: nothing to go on from
                } else {
                    MemberRecord record = MemberRecord.parse(new String(taken, StandardCharsets.UTF_8));
                    answer.addProperty("connection", d.connectionId());
                    answer.addProperty("group", groupId);
                    answer.addProperty("state", record.state());
                    if (record.session() != null) answer.addProperty("session", record.session());
                    if (record.joined() != null) answer.addProperty("joined", record.joined());
                    JsonObject departure = new JsonObject();
                    departure.addProperty("received", d.received());
                    departure.addProperty("next", d.next());
                    com.google.gson.JsonArray messages = new com.google.gson.JsonArray();
                    d.messages().forEach(messages::add);
                    departure.add("messages", messages);
                    if (d.lastEvent() != null) departure.addProperty("lastEvent", d.lastEvent());
                    answer.add("departure", departure);
                }
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cluster: handing a connection over to " + from + " failed", e);
            if (d != null && d.reason() == null && groupId != null) {
                // It ended here as moved but cannot go on there: it ends for good, here.
                JsonObject orphan = new JsonObject();
                orphan.addProperty("group", groupId);
                orphan.addProperty("connection", d.connectionId());
                orphaned(orphan);
            }
            answer = new JsonObject();
            answer.addProperty("request", ask.get("request").getAsString());
            answer.addProperty("reason", Reasons.CLUSTER_UNAVAILABLE);
        }
        byte[] reply = ("handed\n" + answer).getBytes(StandardCharsets.UTF_8);
        Redis.call(() -> redis.async().publish(Keys.nodeChannel(from), reply));
    }

    static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
