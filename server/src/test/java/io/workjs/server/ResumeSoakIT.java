package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.workjs.runtime.RuntimeLimits;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Await;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.RunningSite;
import io.workjs.server.support.TcpProxy;
import io.workjs.server.support.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resumption under fire: 200 resumable connections in 10 groups get numbered events, 1,000 a
 * second in all, and each makes a call a second that increments its own counter on the server,
 * while a TCP proxy cuts a random one of them every 100 ms for 30 s. At the end every connection
 * has seen every event of its group exactly once, in order, and every call ran exactly once:
 * the server's counters equal what the clients were told.
 */
@Timeout(180)
class ResumeSoakIT {
    static final int GROUPS = 10;
    static final int PER_GROUP = 20;
    static final int EVENTS_PER_GROUP_PER_SECOND = 100;
    static final int SECONDS = 30;

    /** The emitters send 100 calls a second each: above the default rate limit of 100. */
    @RegisterExtension
    static final RunningSite site = new RunningSite("resume", Limits.DEFAULTS.with(RuntimeLimits.CALLS_PER_SECOND, 1000)
            .with(RuntimeLimits.CALL_BURST, 1000).with(Limits.PING_INTERVAL, 2).with(Limits.PING_TIMEOUT, 2));

    /** One client under test: its group, and what it was told by its increments. */
    private record Member(int group, ResumeClient client, AtomicInteger calls, AtomicInteger lastReply) {
    }

    @Test
    void everyEventArrivesOnceInOrderAndEveryCallRunsOnceWhileConnectionsAreCut() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(site.server().port())) {
            List<Member> members = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                for (int i = 0; i < PER_GROUP; i++) {
                    members.add(new Member(g, ResumeClient.connect(proxy.url(), "/room/soak" + g), new AtomicInteger(), new AtomicInteger()));
                }
            }
            List<WsClient> emitters = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) emitters.add(site.connect("/room/soak" + g));
            int[] sent = new int[GROUPS];
            AtomicInteger cuts = new AtomicInteger();
            Random random = new Random(42);
            ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
            try {
                load.scheduleAtFixedRate(() -> {
                    for (int g = 0; g < GROUPS; g++) emitters.get(g).send("[\"say\"," + ++sent[g] + "]");
                }, 0, 1000 / EVENTS_PER_GROUP_PER_SECOND, TimeUnit.MILLISECONDS);
                load.scheduleAtFixedRate(() -> {
                    for (Member m : members) {
                        m.calls().incrementAndGet();
                        m.client().call("incr", "null").thenAccept(reply -> m.lastReply().accumulateAndGet(
                                JsonParser.parseString(reply).getAsJsonArray().get(1).getAsInt(), Math::max));
                    }
                }, 500, 1000, TimeUnit.MILLISECONDS);
                load.scheduleAtFixedRate(() -> {
                    List<TcpProxy.Link> links = proxy.links();
                    if (!links.isEmpty()) {
                        links.get(random.nextInt(links.size())).cut();
                        cuts.incrementAndGet();
                    }
                }, 100, 100, TimeUnit.MILLISECONDS);
                TimeUnit.SECONDS.sleep(SECONDS);   // the soak itself: load and cuts for its whole length
            } finally {
                load.shutdownNow();
                load.awaitTermination(5, TimeUnit.SECONDS);
            }
            // Each emitter's own events tell that all it sent has been emitted.
            for (int g = 0; g < GROUPS; g++) {
                WsClient emitter = emitters.get(g);
                String last = "";
                while (!last.equals("[\"said\"," + sent[g] + "]")) last = emitter.next();
            }
            for (Member m : members) {
                int expected = sent[m.group()];
                List<Integer> seen = new ArrayList<>();
                while (seen.size() < expected) {
                    String frame = m.client().messages.poll(10, TimeUnit.SECONDS);
                    if (frame == null) {
                        throw new AssertionError("group " + m.group() + ": " + seen.size() + " of " + expected + " events, last "
                                + (seen.isEmpty() ? "none" : seen.getLast()) + "; " + m.client().describe());
                    }
                    JsonArray event = JsonParser.parseString(frame).getAsJsonArray();
                    if (event.get(0).getAsString().equals("said")) seen.add(event.get(1).getAsInt());
                }
                for (int i = 0; i < expected; i++) assertEquals(i + 1, seen.get(i), "group " + m.group() + ": events out of order, missing or twice");
                assertEquals(null, m.client().messages.poll(200, TimeUnit.MILLISECONDS), "nothing after the last event");
            }
            for (Member m : members) {
                try {
                    Await.until("every call answered", () -> m.lastReply().get() == m.calls().get());
                } catch (AssertionError e) {
                    throw new AssertionError("calls " + m.calls().get() + ", last reply " + m.lastReply().get() + "; " + m.client().describe(), e);
                }
            }
            for (Member m : members) {
                String id = JsonParser.parseString(m.client().call("recall", "null").get(10, TimeUnit.SECONDS))
                        .getAsJsonArray().get(1).getAsJsonObject().get("id").getAsString();
                try (WsClient observer = site.connect("/room/observer")) {
                    String count = observer.call("[\"count\",\"" + id + "\",1]");
                    assertEquals("[\"_rpc\"," + m.calls().get() + ",1]", count, "the server ran each call once");
                }
            }
            long resumed = members.stream().mapToLong(m -> m.client().welcomes.stream().filter(ResumeClient.Welcome::resumed).count()).sum();
            long fresh = members.stream().mapToLong(m -> m.client().welcomes.size() - 1
                    - m.client().welcomes.stream().filter(ResumeClient.Welcome::resumed).count()).sum();
            System.out.printf("soak: %d cuts, %d resumes, %d refused resumes, %d events per member, %d calls per member%n",
                    cuts.get(), resumed, fresh, sent[0], members.getFirst().calls().get());
            assertEquals(0, fresh, "every resume succeeded");
            assertTrue(resumed >= cuts.get() / 2, "the cuts were resumed: " + resumed + " of " + cuts.get());
            for (Member m : members) m.client().close();
            for (WsClient e : emitters) e.close();
            CompletableFuture.completedFuture(null);
        }
    }
}
