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

    /** An event arrived; {@code frame} is only valid during the call. */
    default void event(Conn conn, ByteBuf frame) {
    }

    /** The connection closed, by either side. */
    default void closed(Conn conn) {
    }
}
