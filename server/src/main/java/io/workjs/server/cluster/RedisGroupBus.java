package io.workjs.server.cluster;

import io.workjs.runtime.GroupBus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The groups of a cluster: every operation on a group (an event, a member's join, state or
 * leave) goes through this node's {@link Outbox} into the group's Redis stream and out on its
 * sharded channel, in one round trip ({@link Scripts#APPLY}). Every node, this one included,
 * delivers a group's events as they come back on the channel, so all members everywhere see
 * them in the stream's one order; each node keeps, for the groups it has members in, who else
 * is in them and their last state. All of that lives on the JS loop: Redis's answers are handed
 * to it, never handled on a Redis thread.
 *
 * <p>While Redis is down a node's operations wait in its outbox, its own members' events too:
 * every member gets every event from the stream, in its one order, once Redis is back, or is
 * told ({@code EVENTS_LOST}) of those that could not wait. When Redis is back a node sends
 * what waited, catches each group up from its stream and states its members again.
 */
public final class RedisGroupBus implements GroupBus {
    private static final Logger LOG = Logger.getLogger("workjs.cluster");
    /** Why a member was told of a gap (docs/PROTOCOL.md, EVENTS_LOST). */
    static final String OUTBOX_FULL = "REDIS_OUTBOX_FULL";
    static final String STREAM_LOST = "STREAM_LOST";

    private final Redis redis;
    private final Scripts scripts;
    private final Outbox outbox;
    private final String run;
    private final int streamLength;
    private volatile String node;
    private Executor loop;

    // On the loop only.
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Group> byChannel = new HashMap<>();
    private long operations;
    /** Groups with members whose new state waits for {@link #flush}. */
    private final List<Group> stating = new ArrayList<>();
    private final GroupSizes sizes;
    /** Which group each member of this node is in, for a hand-over (read off the loop). */
    private final Map<String, String> groupOf = new java.util.concurrent.ConcurrentHashMap<>();

    RedisGroupBus(Redis redis, Scripts scripts, String run, int streamLength, int outboxMax) {
        this.redis = redis;
        this.scripts = scripts;
        this.run = run;
        this.streamLength = streamLength;
        this.outbox = new Outbox(outboxMax, this::send);
        redis.onMessage(this::heard);
        this.sizes = new GroupSizes(redis);
        redis.onDisconnect(() -> {
            outbox.pause();
            if (loop != null) loop.execute(this::hold);
        });
    }

    /**
     * This node's name, known once the server has its port. Members are recorded in Redis under
     * {@code NAME@RUN}, so that a node restarted under the same name tells its own members from
     * those of its earlier run.
     */
    void named(String nodeName) {
        this.node = nodeName + "@" + run;
    }

    @Override
    public void start(Executor loop) {
        this.loop = loop;
        sizes.start(loop);
    }

    /** A member of another node: its node and its last reported state. */
    private record Remote(String node, String state) {
    }

    /** A member of this node and the state it last reported, to state again after Redis's return. */
    private static final class Local {
        final Member member;
        String state;
        /** True while its state waits to go out with the others' ({@link #flush}). */
        boolean pending;
        /** True once its state has gone out: Redis has its record (made with its first state). */
        boolean stated;
        /** The session id its record was last given. */
        String statedSession;
        /** Events heard while the member that moved here gets what it missed; null otherwise. */
        List<Message> catching;

        Local(Member member) {
            this.member = member;
        }
    }

    /** One group this node has members in. */
    private final class Group {
        final String id;
        final String key;
        final String channel;
        /** Member id → {@link Local} or {@link Remote}, in the order the members joined (as this node learnt of them). */
        final LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        final List<Local> locals = new ArrayList<>();
        /** Members whose state waits to go out. */
        final List<Local> stating = new ArrayList<>();
        /** The last stream entry applied; null before the first synchronisation. */
        StreamId last;
        /** Entries heard while (re)synchronising, applied after it; null otherwise. */
        List<Message> waiting = new ArrayList<>();
        /** Who waits for the group's first synchronisation (new members' first calls). */
        List<Runnable> whenReady = new ArrayList<>();
        boolean synced;

        Group(String id) {
            this.id = id;
            this.key = Keys.group(id);
            this.channel = Keys.channel(key);
        }
    }

    @Override
    public void join(String group, Member member) {
        Group g = groups.get(group);
        if (g == null) {
            g = new Group(group);
            groups.put(group, g);
            byChannel.put(g.channel, g);
            synchronise(g);
        }
        Local local = new Local(member);
        g.members.remove(member.id());   // a snapshot of the same id (it moved here) gives way to the live member
        g.members.put(member.id(), local);
        g.locals.add(local);
        groupOf.put(member.id(), group);
    }

    @Override
    public boolean ready(String group, Runnable whenReady) {
        Group g = groups.get(group);
        if (g == null || g.synced) return true;
        g.whenReady.add(whenReady);
        return false;
    }

    /** The group's first synchronisation is over, well or not: its new members' calls may run. */
    private static void readied(Group g) {
        g.synced = true;
        List<Runnable> waiting = g.whenReady;
        g.whenReady = new ArrayList<>();
        for (Runnable r : waiting) r.run();
    }

    @Override
    public void leave(String group, Member member) {
        Group g = groups.get(group);
        if (g == null || !(g.members.get(member.id()) instanceof Local local) || local.member != member) return;
        g.members.remove(member.id());
        g.locals.remove(local);
        groupOf.remove(member.id());
        operation(g.id, Message.LEFT, member.id(), new byte[0]);
        if (g.locals.isEmpty()) forget(g);
    }

    /** The group's last member here is gone: this node stops listening to it. */
    private void forget(Group g) {
        groups.remove(g.id);
        byChannel.remove(g.channel);
        Redis.call(() -> redis.subscriptions().sunsubscribe(g.channel));   // if Redis is down, its return forgets it anyway
    }

    @Override
    public void rejoin(String group, Member member, String after) {
        join(group, member);
        StreamId from = after == null ? null : StreamId.parse(after);
        if (from == null) return;
        Group g = groups.get(group);
        Local local = (Local) g.members.get(member.id());
        local.catching = new ArrayList<>();
        // Read what it missed only once this node hears the group's channel: whatever comes after
        // that read is heard, and waits in `catching` meanwhile.
        Runnable catchUp = () -> scripts.catchUp(g.key, from)
                .whenComplete((caught, error) -> loop.execute(() -> caughtUp(g, local, from, caught, error)));
        if (g.synced) catchUp.run();
        else g.whenReady.add(catchUp);
    }

    /** Hands the member the events it missed since {@code from}, then those heard meanwhile, each once. */
    private void caughtUp(Group g, Local local, StreamId from, List<Object> caught, Throwable error) {
        if (local.catching == null || !(g.members.get(local.member.id()) == local)) return;
        StreamId sent = from;
        if (error != null || ((Long) caught.get(0)) != 0) {
            local.member.peer().send(gapNotice(STREAM_LOST, null));
            if (error != null) LOG.log(Level.WARNING, "cluster: cannot replay a group's events to a connection that moved here", error);
        }
        if (error == null) {
            for (Object entry : (List<?>) caught.get(1)) {
                List<?> e = (List<?>) entry;
                Message m = Message.parse(text(e.get(0)), (byte[]) ((List<?>) e.get(1)).get(1));
                if (m == null) continue;
                if (m.type() == Message.EVENT) sendEvent(local, m);
                else if (m.type() == Message.GAP) local.member.peer().send(gapNotice(OUTBOX_FULL, m.field()));
                sent = m.id();
            }
        }
        List<Message> heard = local.catching;
        local.catching = null;
        for (Message m : heard) if (m.id().after(sent)) sendEvent(local, m);
    }

    @Override
    public void handOver(String group, Member member) {
        Group g = groups.get(group);
        if (g == null || !(g.members.get(member.id()) instanceof Local local) || local.member != member) return;
        if (local.pending) sendStates(g);   // the node it moves to goes on from its last state
        g.members.remove(member.id());
        g.locals.remove(local);
        if (g.locals.isEmpty()) forget(g);
    }

    @Override
    public void publish(String group, ByteBuffer utf8) {
        byte[] bytes = new byte[utf8.remaining()];
        utf8.duplicate().get(bytes);
        operation(group, Message.EVENT, "", bytes);   // dropped past the outbox: counted, and reported as a gap
    }

    @Override
    public Collection<String> ids(String group) {
        Group g = groups.get(group);
        return g == null ? List.of() : Collections.unmodifiableSet(g.members.keySet());
    }

    @Override
    public Member member(String group, String id) {
        Group g = groups.get(group);
        return g != null && g.members.get(id) instanceof Local local ? local.member : null;
    }

    @Override
    public String snapshot(String group, String id) {
        Group g = groups.get(group);
        return g != null && g.members.get(id) instanceof Remote remote ? remote.state() : null;
    }

    /** Members per group of {@code controller}, on every node, as this node knows them ({@link GroupSizes}). */
    @Override
    public Map<String, Integer> sizes(String controller) {
        return sizes.of(controller);
    }

    @Override
    public void watchSizes(java.util.function.Consumer<String> changed) {
        sizes.watch(changed);
    }

    @Override
    public boolean sharesState() {
        return true;
    }

    /** Keeps the member's new state until {@link #flush}, which sends one operation per group, not one per call. */
    @Override
    public void state(String group, Member member, String json) {
        Group g = groups.get(group);
        if (g == null || !(g.members.get(member.id()) instanceof Local local) || local.member != member) return;
        local.state = json;
        pending(g, local);
    }

    private void pending(Group g, Local local) {
        if (local.pending) return;
        local.pending = true;
        if (g.stating.isEmpty()) stating.add(g);
        g.stating.add(local);
    }

    /** The states kept since the last flush, one operation per group, on the loop. */
    @Override
    public void flush() {
        for (Group g : stating) sendStates(g);
        stating.clear();
    }

    private void sendStates(Group g) {
        if (g.stating.isEmpty()) return;
        List<Op.State> states = new ArrayList<>(g.stating.size());
        for (Local local : g.stating) {
            if (!local.pending) continue;
            local.pending = false;
            if (g.members.get(local.member.id()) != local) continue;
            String session = local.member.session();
            states.add(new Op.State(local.member.id(), session, local.state, !local.stated,
                    local.stated && !java.util.Objects.equals(session, local.statedSession)));
            local.stated = true;
            local.statedSession = session;
        }
        g.stating.clear();
        if (!states.isEmpty()) operation(g.id, Message.MEMBER, "", new byte[0], states);
    }

    /**
     * The group of a member this node has (or is handing over): read, and forgotten, by the
     * hand-over, on a thread of its own. Null for a member that never joined a group here.
     */
    String takeGroupOf(String memberId) {
        return groupOf.remove(memberId);
    }

    /** Completes once Redis has applied every operation this node made so far (a handed-over member's last state among them). */
    java.util.concurrent.CompletableFuture<Void> drained() {
        return outbox.drained();
    }

    /** Events dropped because the outbox was full, since start. */
    long droppedEvents() {
        return outbox.dropped();
    }

    /** Operations not yet applied by Redis. */
    int waitingOperations() {
        return outbox.waiting();
    }

    /** Numbers an operation of this run and hands it to the outbox; false when the outbox had no room. */
    private Op operation(String groupId, char type, String field, byte[] rest) {
        return operation(groupId, type, field, rest, List.of());
    }

    private Op operation(String groupId, char type, String field, byte[] rest, List<Op.State> states) {
        Op op = new Op(groupId, run, ++operations, type, field, rest, states);
        return outbox.add(op) ? op : null;
    }

    private void send(Op op, Outbox box) {
        scripts.apply(streamLength, op, node).whenComplete((id, error) -> {
            if (error == null) box.applied(op);
            else if (Redis.unreachable(error)) redis.failed(error);
            else box.refused(op, error);
        });
    }

    // ---- what comes back from Redis: handed to the loop, applied there in the stream's order

    private void heard(String channel, byte[] bytes) {
        Message m = Message.parse(bytes);
        if (m == null) return;
        loop.execute(() -> {
            Group g = byChannel.get(channel);
            if (g == null) return;
            if (g.waiting != null) g.waiting.add(m);
            else apply(g, m);
        });
    }

    private void apply(Group g, Message m) {
        if (g.last != null && !m.id().after(g.last)) return;   // seen already (a catch-up and the channel overlap)
        g.last = m.id();
        switch (m.type()) {
            case Message.EVENT -> deliver(g, m);
            case Message.MEMBER -> {
                if (m.node().equals(node)) return;   // this node's own members: here they are live
                for (Message.Stated s : m.states()) {
                    if (!(g.members.get(s.member()) instanceof Local)) g.members.put(s.member(), new Remote(m.node(), s.state()));
                }
            }
            case Message.LEFT -> {
                if (g.members.get(m.field()) instanceof Remote) g.members.remove(m.field());
            }
            case Message.GAP -> deliver(g, gapNotice(OUTBOX_FULL, m.field()));
            default -> LOG.fine(() -> "cluster: unknown entry type " + m.type());
        }
    }

    /** A frame for every member here that is not catching up (a gap notice, or an event delivered before Redis has it). */
    private static void deliver(Group g, ByteBuffer frame) {
        for (Local local : g.locals.toArray(new Local[0])) local.member.peer().send(frame);
    }

    /** An event from the group's stream to every member here, with its position to those that want it. */
    private static void deliver(Group g, Message m) {
        for (Local local : g.locals.toArray(new Local[0])) {
            if (local.catching != null) local.catching.add(m);
            else sendEvent(local, m);
        }
    }

    private static void sendEvent(Local local, Message m) {
        var peer = local.member.peer();
        if (peer.wantsPositions()) peer.sendEvent(m.positioned(), m.id().toString());
        else peer.send(m.restBytes());
    }

    /** {@code ["_error", {"code": "EVENTS_LOST", ...}]}: what a member is told instead of events it will never get. */
    static ByteBuffer gapNotice(String reason, String count) {
        String lost = count == null ? "null" : count;
        String text = "[\"_error\",{\"code\":\"EVENTS_LOST\",\"message\":\"" + (count == null ? "some" : count)
                + " event(s) of this group could not be delivered (" + reason + ")\",\"lost\":" + lost + ",\"reason\":\"" + reason + "\"}]";
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    // ---- synchronisation: on a group's first member here, and for every group on Redis's return

    /**
     * Subscribes to the group's channel, then reads what was missed since {@code g.last} (none
     * the first time) and the members as Redis has them; entries heard meanwhile wait in
     * {@code g.waiting} and are applied after, those already seen skipped by their ids.
     */
    private void synchronise(Group g) {
        if (g.waiting == null) g.waiting = new ArrayList<>();
        StreamId from = g.last;
        CompletionStage<List<Object>> caughtUp = Redis.call(() -> redis.subscriptions().ssubscribe(g.channel))
                .thenCompose(v -> from == null ? CompletableFuture.completedFuture(null) : scripts.catchUp(g.key, from));
        caughtUp.thenCompose(c -> scripts.sync(g.key).thenApply(s -> new Object[] {c, s})).whenComplete((both, error) -> {
            if (error != null) {
                if (Redis.unreachable(error)) redis.failed(error);
                else LOG.log(Level.SEVERE, "cluster: cannot synchronise group " + printable(g.id), error);
                loop.execute(() -> readied(g));   // its members go on with what this node knows; Redis's return synchronises again
                return;
            }
            @SuppressWarnings("unchecked")
            List<Object> caught = (List<Object>) both[0];
            @SuppressWarnings("unchecked")
            List<Object> synced = (List<Object>) both[1];
            loop.execute(() -> synchronised(g, caught, synced));
        });
    }

    /**
     * Redis is away: whatever the channels bring from now on waits until each group has caught
     * up from its stream, so that nothing heard early moves a group past entries it missed.
     */
    private void hold() {
        for (Group g : groups.values()) if (g.waiting == null) g.waiting = new ArrayList<>();
    }

    /**
     * Applies what a synchronisation read: the entries missed since {@code g.last} (none the
     * first time), then the members as Redis had them, then what the channel brought meanwhile.
     * The members' entries heard meanwhile may be older than that view; applied in order after
     * it, they end at the latest state. {@code g.last} moves only with entries applied, never to
     * the view's end, so that no event between the two is skipped.
     */
    private void synchronised(Group g, List<Object> caught, List<Object> synced) {
        if (groups.get(g.id) != g) return;   // its last member left meanwhile
        if (caught != null) {
            if (((Long) caught.get(0)) != 0) deliver(g, gapNotice(STREAM_LOST, null));
            for (Object entry : (List<?>) caught.get(1)) {
                List<?> e = (List<?>) entry;
                List<?> fields = (List<?>) e.get(1);
                Message m = Message.parse(text(e.get(0)), (byte[]) fields.get(1));
                if (m != null) apply(g, m);
            }
        }
        StreamId last = StreamId.parse(text(synced.get(0)));
        List<?> pairs = (List<?>) synced.get(1);
        g.members.values().removeIf(v -> v instanceof Remote);
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String id = text(pairs.get(i));
            MemberRecord record = MemberRecord.parse(text(pairs.get(i + 1)));
            Object here = g.members.get(id);
            if (here instanceof Local) continue;
            if (record.node().equals(node)) {
                operation(g.id, Message.LEFT, id, new byte[0]);   // left while Redis was away
            } else {
                g.members.put(id, new Remote(record.node(), record.state()));
            }
        }
        List<Message> heard = g.waiting;
        g.waiting = null;
        for (Message m : heard) apply(g, m);
        if (g.last == null) g.last = last;   // nothing heard yet: a later catch-up starts from the stream's end at this view
        readied(g);
    }

    /** Redis is back: what waited goes out, every group catches up, and this node states its members again. */
    void resynchronise() {
        sizes.reload();
        for (Group g : List.copyOf(groups.values())) {
            for (Local local : g.locals) {
                local.stated = false;   // a Redis that lost its data has no record of it: made again if so
                if (local.state != null) pending(g, local);
            }
            sendStates(g);
            synchronise(g);
        }
        reportLost();
    }

    /** Tells the other nodes' members of each group how many of this node's events it dropped. */
    void reportLost() {
        for (Map.Entry<String, Long> lost : outbox.takeLost().entrySet()) {
            operation(lost.getKey(), Message.GAP, Long.toString(lost.getValue()), new byte[0]);
        }
    }

    /** After a heartbeat: drops since the last one are reported, on the loop. */
    void reportLostFromTimer() {
        if (loop != null && outbox.hasLost()) loop.execute(this::reportLost);
    }

    /** Redis is back: the outbox sends what waited, then the loop resynchronises every group. */
    void reconnected() {
        outbox.resume();
        loop.execute(this::resynchronise);
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static String printable(String groupId) {
        return groupId.replace('\0', '/');
    }
}
