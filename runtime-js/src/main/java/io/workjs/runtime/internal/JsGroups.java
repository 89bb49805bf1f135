package io.workjs.runtime.internal;

import io.workjs.runtime.GroupBus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.HostAccess;

/** JavaScript's way to the {@link GroupBus}: a handle per group id, which runtime.js keeps while the group has local members. */
public final class JsGroups {
    private final GroupBus bus;

    JsGroups(GroupBus bus) {
        this.bus = bus;
    }

    @HostAccess.Export
    public Group group(String id) {
        return new Group(id);
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

        /** Encodes the event once; every member's peer gets the same read-only bytes. */
        @HostAccess.Export
        public void publish(String text) {
            bus.publish(id, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
        }

        /** The members' ids in the order they joined, comma-separated (ids never hold a comma). */
        @HostAccess.Export
        public String ids() {
            StringBuilder ids = new StringBuilder();
            for (GroupBus.Member m : bus.members(id)) {
                if (!ids.isEmpty()) ids.append(',');
                ids.append(m.id());
            }
            return ids.toString();
        }

        /** The member's {@code this}, or null when no member of the group has that id. */
        @HostAccess.Export
        public Object member(String memberId) {
            return bus.member(id, memberId) instanceof JsConnection c ? c.self() : null;
        }
    }
}
