package io.workjs.runtime.internal;

import io.workjs.runtime.GroupBus;
import io.workjs.runtime.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.graalvm.polyglot.HostAccess;

/** JavaScript's way to the {@link GroupBus}: a handle per group id, which runtime.js keeps while the group has local members. */
public final class JsGroups {
    private final GroupBus bus;
    private final Executor loop;
    private final LoopPromises promises;
    private final Metrics metrics;

    /** Starts the bus on the loop that {@code loop} posts to. */
    JsGroups(GroupBus bus, Executor loop, LoopPromises promises, Metrics metrics) {
        this.bus = bus;
        this.loop = loop;
        this.promises = promises;
        this.metrics = metrics;
        bus.start(loop);
    }

    /**
     * Runs {@code report} (which hands members' states to {@link Group#state}) as a task of its
     * own, once the work queued now has had its turn, and then lets the bus send them.
     */
    @HostAccess.Export
    public void later(org.graalvm.polyglot.Value report) {
        loop.execute(() -> {
            report.executeVoid();
            bus.flush();
        });
    }

    @HostAccess.Export
    public Group group(String id) {
        return new Group(id);
    }

    /** Members per group key of {@code controller}, on every node, as a JSON object. */
    @HostAccess.Export
    public String sizes(String controller) {
        StringBuilder json = new StringBuilder("{");
        for (var e : bus.sizes(controller).entrySet()) {
            if (json.length() > 1) json.append(',');
            json.append(new com.google.gson.JsonPrimitive(e.getKey())).append(':').append(e.getValue());
        }
        return json.append('}').toString();
    }

    /** Calls {@code changed(controller)} in JavaScript whenever a group of that controller gains or loses a member. */
    @HostAccess.Export
    public void watchSizes(org.graalvm.polyglot.Value changed) {
        bus.watchSizes(controller -> changed.executeVoid(controller));
    }

    /** True when runtime.js must report each member's state after its calls (a cluster's bus). */
    @HostAccess.Export
    public boolean sharesState() {
        return bus.sharesState();
    }

    /** One group, by id: the Java string is made once, so publish does not convert and hash it per event. */
    public final class Group {
        private final String id;

        Group(String id) {
            this.id = id;
        }

        @HostAccess.Export
        public void join(JsConnection member) {
            bus.join(id, member);
        }

        @HostAccess.Export
        public void leave(JsConnection member) {
            bus.leave(id, member);
        }

        /** True when the group's members are known now; else {@code whenReady} runs once they are, as a task of its own. */
        @HostAccess.Export
        public boolean ready(org.graalvm.polyglot.Value whenReady) {
            return bus.ready(id, () -> promises.onLoop(whenReady::executeVoid));
        }

        /** A member that moved here joins again, with the events after {@code after} first. */
        @HostAccess.Export
        public void rejoin(JsConnection member, String after) {
            bus.rejoin(id, member, after);
        }

        /** A member moving to another node leaves this one without leaving the group. */
        @HostAccess.Export
        public void handOver(JsConnection member) {
            bus.handOver(id, member);
        }

        /** Encodes the event once; every member's peer gets the same read-only bytes. */
        @HostAccess.Export
        public void publish(String text) {
            bus.publish(id, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
            metrics.eventEmitted();
        }

        /** The member's state after its completed calls, a JSON object; only called when {@link #sharesState()}, sent at the flush after it. */
        @HostAccess.Export
        public void state(JsConnection member, String json) {
            bus.state(id, member, json);
        }

        /** The members' ids in the order they joined, comma-separated (ids never hold a comma). */
        @HostAccess.Export
        public String ids() {
            StringBuilder ids = new StringBuilder();
            for (String memberId : bus.ids(id)) {
                if (!ids.isEmpty()) ids.append(',');
                ids.append(memberId);
            }
            return ids.toString();
        }

        /**
         * A member of this node: its {@code this}; of another node: its snapshot, as JSON text
         * (runtime.js makes it a frozen object); null when the group has no member with that id.
         */
        @HostAccess.Export
        public Object member(String memberId) {
            if (bus.member(id, memberId) instanceof JsConnection c) return c.self();
            return bus.snapshot(id, memberId);
        }
    }
}
