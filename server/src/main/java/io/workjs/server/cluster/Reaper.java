package io.workjs.server.cluster;

import io.lettuce.core.SetArgs;
import io.workjs.runtime.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets the members of a dead node go. Each node looks, after each heartbeat, for runs whose
 * sign of life is gone ({@code workjs:runs} lists every run that has not said goodbye); the
 * first to claim a dead run ({@code workjs:reap:NAME@RUN}, SET NX) waits
 * {@code resumeWindowSeconds} for its members to come back on other nodes, then removes each
 * one that did not from its group ({@link Scripts#LEAVE_IF}, which only one node can win per
 * member) and runs its exit() here, once. Works on a thread of its own, never the heartbeat's.
 */
final class Reaper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("workjs.cluster");
    /** How long a claim on a dead run holds beyond the window, should the claimer die too. */
    private static final int CLAIM_MARGIN_SECONDS = 60;
    private static final int RETRY_SECONDS = 1;

    /** Where a let-go member's exit() runs: the node's runtime. */
    interface Exits {
        void exit(String groupId, String memberId, String state, String session);
    }

    private final Redis redis;
    private final Scripts scripts;
    private final String me;
    private final String run;
    private final int windowSeconds;
    private final int streamLength;
    private final Exits exits;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("workjs-cluster-reaper"));

    Reaper(Redis redis, Scripts scripts, String me, String run, int windowSeconds, int streamLength, Exits exits) {
        this.redis = redis;
        this.scripts = scripts;
        this.me = me;
        this.run = run;
        this.windowSeconds = windowSeconds;
        this.streamLength = streamLength;
        this.exits = exits;
    }

    /** Looks for dead runs, soon, on the reaper's thread. */
    void look() {
        thread.execute(this::findDead);
    }

    private void findDead() {
        try {
            var r = redis.async();
            for (String dead : r.hkeys(Keys.runs()).get(5, TimeUnit.SECONDS)) {
                if (dead.equals(me) || claimed.contains(dead)) continue;
                int at = dead.lastIndexOf('@');
                if (at < 0) continue;
                byte[] alive = r.get(Keys.alive(dead.substring(0, at))).get(5, TimeUnit.SECONDS);
                if (alive != null && new String(alive, StandardCharsets.UTF_8).equals(dead.substring(at + 1))) continue;
                String ok = r.set(Keys.reap(dead), me.getBytes(StandardCharsets.UTF_8),
                        SetArgs.Builder.nx().ex(windowSeconds + CLAIM_MARGIN_SECONDS)).get(5, TimeUnit.SECONDS);
                if (ok == null) continue;   // another node claimed it
                claimed.add(dead);
                LOG.warning("cluster: node " + dead + " is gone; its members that do not come back within " + windowSeconds
                        + " s leave their groups, and their exit() runs here");
                thread.schedule(() -> reap(dead), windowSeconds, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (!(e instanceof InterruptedException)) LOG.log(Level.FINE, "cluster: looking for dead nodes failed", e);
            else Thread.currentThread().interrupt();
        }
    }

    private void reap(String dead) {
        try {
            var r = redis.async();
            int gone = 0;
            for (byte[] group : r.smembers(Keys.nodeGroups(dead)).get(5, TimeUnit.SECONDS)) {
                String groupId = new String(group, StandardCharsets.UTF_8);
                Map<String, byte[]> members = r.hgetall(Keys.members(Keys.group(groupId))).get(5, TimeUnit.SECONDS);
                for (Map.Entry<String, byte[]> m : members.entrySet()) {
                    MemberRecord record = MemberRecord.parse(new String(m.getValue(), StandardCharsets.UTF_8));
                    if (!record.node().equals(dead)) continue;
                    byte[] won = scripts.leaveIf(streamLength, groupId, m.getKey(), dead, run).get(5, TimeUnit.SECONDS);
                    if (won == null) continue;   // it came back elsewhere meanwhile
                    MemberRecord last = MemberRecord.parse(new String(won, StandardCharsets.UTF_8));
                    exits.exit(groupId, m.getKey(), last.state(), last.session());
                    gone++;
                }
            }
            for (byte[] token : r.smembers(Keys.nodeTokens(dead)).get(5, TimeUnit.SECONDS)) {
                r.del(Keys.token(new String(token, StandardCharsets.US_ASCII))).get(5, TimeUnit.SECONDS);
            }
            r.del(Keys.nodeTokens(dead)).get(5, TimeUnit.SECONDS);
            r.del(Keys.nodeGroups(dead)).get(5, TimeUnit.SECONDS);
            r.hdel(Keys.runs(), dead).get(5, TimeUnit.SECONDS);
            LOG.info("cluster: node " + dead + ": " + gone + " member(s) left their groups");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cluster: letting the members of node " + dead + " go failed (" + e + "); trying again", e);
            thread.schedule(() -> reap(dead), RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
