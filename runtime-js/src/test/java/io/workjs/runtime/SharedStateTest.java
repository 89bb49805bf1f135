package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a bus that shares members' state (a cluster's), the runtime reports each member's fields
 * after its completed calls, and shows another node's member in {@code this.group} as a frozen
 * copy of its snapshot. The bus here is the in-process one plus one member "far" elsewhere.
 */
@Timeout(60)
class SharedStateTest {
    @TempDir
    Path site;
    JsRuntime runtime;
    Controller controller;
    final List<String> states = new CopyOnWriteArrayList<>();
    volatile String far = "{\"id\":\"far\",\"nick\":\"zed\",\"tags\":[\"x\"]}";

    final GroupBus bus = new GroupBus() {
        private final GroupBus inner = GroupBus.inProcess();

        @Override
        public void join(String group, Member member) {
            inner.join(group, member);
        }

        @Override
        public void leave(String group, Member member) {
            inner.leave(group, member);
        }

        @Override
        public void publish(String group, ByteBuffer utf8) {
            inner.publish(group, utf8);
        }

        @Override
        public Collection<String> ids(String group) {
            List<String> ids = new ArrayList<>(List.of("far"));
            ids.addAll(inner.ids(group));
            return ids;
        }

        @Override
        public Member member(String group, String id) {
            return inner.member(group, id);
        }

        @Override
        public String snapshot(String group, String id) {
            return id.equals("far") ? far : null;
        }

        @Override
        public boolean sharesState() {
            return true;
        }

        @Override
        public void state(String group, Member member, String json) {
            states.add(member.id() + " " + json);
        }
    };

    @BeforeEach
    void start() throws Exception {
        Path file = site.resolve("g.ws");
        Files.writeString(file, """
                function init() { this.score = 1; return 'room'; }
                function nick(n) { this.nick = n; this.helper = function () {}; this.big = 10n; return true; }
                function same() { return true; }
                function look() { const g = this.group; return Object.keys(g).map((id) => [id, g[id].nick, Object.isFrozen(g[id])]); }
                function tags() { return this.group.far.tags.concat(Object.isFrozen(this.group.far.tags)); }
                function write() { try { this.group.far.nick = 'changed'; } catch (e) { return e.constructor.name; } return this.group.far.nick; }
                """);
        runtime = JsRuntime.start(site, RuntimeLimits.DEFAULTS, RuntimeServices.defaults().withGroups(bus));
        controller = runtime.load(file);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void aMembersStateIsReportedAfterInitAndAfterEachCallThatChangedIt() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        Inbound ia = runtime.opened(a, controller, Map.of("room", "r1"), null);
        ia.message("[\"nick\",\"ann\",1]");
        assertEquals("[\"_rpc\",true,1]", a.next());
        ia.message("[\"same\",null,2]");
        assertEquals("[\"_rpc\",true,2]", a.next());
        assertEquals(List.of(
                "a {\"id\":\"a\",\"context\":{\"room\":\"r1\"},\"group_id\":\"room\",\"score\":1}",
                "a {\"id\":\"a\",\"context\":{\"room\":\"r1\"},\"group_id\":\"room\",\"score\":1,\"nick\":\"ann\"}"),
                states, "no ws, sess, log or group; no function or BigInt; nothing when a call changed nothing");
    }

    @Test
    void anotherNodesMemberIsAFrozenCopyOfItsSnapshotAndLocalMembersStayLive() throws Exception {
        RecordingPeer a = new RecordingPeer("a");
        Inbound ia = runtime.opened(a, controller, Map.of(), null);
        ia.message("[\"nick\",\"ann\",1]");
        a.next();
        ia.message("[\"look\",null,2]");
        assertEquals("[\"_rpc\",[[\"far\",\"zed\",true],[\"a\",\"ann\",false]],2]", a.next());
        ia.message("[\"tags\",null,3]");
        assertEquals("[\"_rpc\",[\"x\",true],3]", a.next());
        ia.message("[\"write\",null,4]");
        assertEquals("[\"_rpc\",\"zed\",4]", a.next(), "a snapshot is read-only: the write is ignored");
        far = "{\"id\":\"far\",\"nick\":\"zoe\"}";
        ia.message("[\"look\",null,5]");
        assertEquals("[\"_rpc\",[[\"far\",\"zoe\",true],[\"a\",\"ann\",false]],5]", a.next(), "a new snapshot is seen at the next look");
    }
}
