package io.workjs.bench.load;

import io.netty.buffer.ByteBuf;

/** What a scenario does with one connection's traffic; called on the connection's event loop. */
public interface Listener {

    /** The connection may send calls now. */
    default void ready(Conn conn) {
    }

    /** The reply to call {@code seq} arrived. */
    default void reply(Conn conn, long seq) {
    }

    /**
     * The reply to call {@code seq} arrived and says the call failed ({@code error} is the
     * frame). Unless a scenario looks at failures, it counts as any reply.
     */
    default void failed(Conn conn, long seq, String error) {
        reply(conn, seq);
    }

    /** An event arrived; {@code frame} is only valid during the call. */
    default void event(Conn conn, ByteBuf frame) {
    }

    /** The connection closed, by either side. */
    default void closed(Conn conn) {
    }
}
