package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runtime uses the services it is given: the group bus it was handed, the metrics it was handed. */
@Timeout(60)
class RuntimeServicesTest {
    @TempDir
    Path site;
    JsRuntime runtime;
    Controller controller;
    final List<String> busCalls = new CopyOnWriteArrayList<>();
    final AtomicInteger batches = new AtomicInteger();

    /** The in-process bus, with every call written down. */
    final GroupBus bus = new GroupBus() {
        private final GroupBus inner = GroupBus.inProcess();

        @Override
        public void join(String group, Member member) {
            busCalls.add("join " + group.replace('\0', '/') + " " + member.id());
            inner.join(group, member);
        }

        @Override
        public void leave(String group, Member member) {
            busCalls.add("leave " + group.replace('\0', '/') + " " + member.id());
            inner.leave(group, member);
        }

        @Override
        public void publish(String group, ByteBuffer utf8) {
            busCalls.add("publish " + group.replace('\0', '/') + " " + utf8.remaining());
            inner.publish(group, utf8);
        }

        @Override
        public Collection<String> ids(String group) {
            return inner.ids(group);
        }

        @Override
        public Member member(String group, String id) {
            return inner.member(group, id);
        }
    };

    final Metrics metrics = new Metrics() {
        @Override
        public void loopBatch(int tasks, long waitedNanos, long ranNanos) {
            batches.incrementAndGet();
        }
    };

    @BeforeEach
    void start() throws Exception {
        Path file = site.resolve("g.ws");
        Files.writeString(file, """
                function init() { return 'room'; }
                function say(p) { this.emit('said', p); }
                function members() { return Object.keys(this.group).sort(); }
                function nick() { this.nick = 'n-' + this.id; return true; }
                function nicks() { const g = this.group; return Object.keys(g).sort().map((id) => g[id].nick); }
                function tamper() { this.group.intruder = {}; delete this.group[this.id]; return Object.keys(this.group).length; }
                function exit() {}
                """);
        runtime = JsRuntime.start(site, RuntimeLimits.DEFAULTS, RuntimeServices.defaults().withGroups(bus).withMetrics(metrics));
        controller = runtime.load(file);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void membershipAndEventsGoThroughTheGroupBusItWasGiven() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        Inbound ia = runtime.opened(a, controller, Map.of(), null);
        ia.message("[\"members\",null,1]");
        assertEquals("[\"_rpc\",[\"a\"],1]", a.next());
        Inbound ib = runtime.opened(b, controller, Map.of(), null);
        ib.message("[\"members\",null,1]");
        assertEquals("[\"_rpc\",[\"a\",\"b\"],1]", b.next());
        ia.message("[\"say\",\"hi\"]");
        assertEquals("[\"said\",\"hi\"]", a.next());
        assertEquals("[\"said\",\"hi\"]", b.next());
        ib.closed();
        ia.message("[\"members\",null,2]");
        assertEquals("[\"_rpc\",[\"a\"],2]", a.next());
        assertEquals(List.of("join g.ws/room a", "join g.ws/room b", "publish g.ws/room 13", "leave g.ws/room b"), busCalls,
                "one publish for the group, not one send per member");
    }

    @Test
    void thisGroupShowsTheLiveThisOfEachMemberAndCannotBeChangedByAController() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        RecordingPeer b = new RecordingPeer("b");
        Inbound ia = runtime.opened(a, controller, Map.of(), null);
        Inbound ib = runtime.opened(b, controller, Map.of(), null);
        ia.message("[\"nick\",null,1]");
        ib.message("[\"nick\",null,1]");
        assertEquals("[\"_rpc\",true,1]", a.next());
        assertEquals("[\"_rpc\",true,1]", b.next());
        ia.message("[\"nicks\",null,2]");
        assertEquals("[\"_rpc\",[\"n-a\",\"n-b\"],2]", a.next());
        ia.message("[\"tamper\",null,3]");
        assertEquals("[\"_rpc\",2,3]", a.next(), "membership changes only through init() and close");
    }

    @Test
    void theLoopReportsItsBatchesToTheMetricsItWasGiven() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        runtime.opened(a, controller, Map.of(), null).message("[\"members\",null,1]");
        a.next();   // the reply goes out inside the batch, which is reported when it ends
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (batches.get() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
        assertTrue(batches.get() > 0, "loop batches reported");
    }
}
