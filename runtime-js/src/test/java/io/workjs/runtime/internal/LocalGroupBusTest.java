package io.workjs.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.workjs.runtime.GroupBus;
import io.workjs.runtime.Peer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process group bus: membership by group id, and one encoding handed to every member. */
class LocalGroupBusTest {
    /** A member whose peer keeps the buffers it was handed, as they were handed. */
    private static final class Member implements GroupBus.Member {
        private final String id;
        private final List<ByteBuffer> got = new ArrayList<>();

        Member(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        List<ByteBuffer> got() {
            return got;
        }

        @Override
        public Peer peer() {
            return new Peer() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public void send(String text) {
                    got.add(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                }

                @Override
                public void send(ByteBuffer utf8) {
                    got.add(utf8);
                }

                @Override
                public void close(int code, String reason) {
                }

                @Override
                public int readyState() {
                    return OPEN;
                }

                @Override
                public void pauseReading() {
                }

                @Override
                public void resumeReading() {
                }
            };
        }
    }

    private final LocalGroupBus bus = new LocalGroupBus();

    @Test
    void membersAreListedInTheOrderTheyJoinedAndFoundById() {
        Member a = new Member("a");
        Member b = new Member("b");
        bus.join("chat.ws\0lobby", b);
        bus.join("chat.ws\0lobby", a);
        assertEquals(List.of("b", "a"), List.copyOf(bus.ids("chat.ws\0lobby")));
        assertSame(a, bus.member("chat.ws\0lobby", "a"));
        assertNull(bus.member("chat.ws\0other", "a"));
    }

    @Test
    void publishHandsTheSameBytesToEveryMemberOfThatGroupOnly() {
        Member a = new Member("a");
        Member b = new Member("b");
        Member elsewhere = new Member("c");
        bus.join("g\01", a);
        bus.join("g\01", b);
        bus.join("g\02", elsewhere);
        ByteBuffer event = ByteBuffer.wrap("[\"e\",1]".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        bus.publish("g\01", event);
        assertSame(event, a.got().getFirst());
        assertSame(event, b.got().getFirst(), "encoded once: no copy per member");
        assertEquals(List.of(), elsewhere.got());
    }

    @Test
    void aGroupIsGoneWithItsLastMemberAndALeaveOfAStrangerChangesNothing() {
        Member a = new Member("a");
        bus.join("g\01", a);
        bus.leave("g\01", new Member("a"));   // same id, not the member that joined
        assertEquals(1, bus.ids("g\01").size());
        bus.leave("g\01", a);
        assertEquals(0, bus.groupCount());
        assertEquals(List.of(), List.copyOf(bus.ids("g\01")));
        bus.publish("g\01", ByteBuffer.allocate(0));   // nobody there: nothing happens
    }
}
