package io.workjs.runtime.internal;

import org.graalvm.polyglot.Value;

/** runtime.js's connection functions, each entered through the {@link Guard}. Loop thread only. */
final class Dispatch {
    private final Guard guard;
    private final Value open;
    private final Value message;
    private final Value closed;
    private final Value turn;
    private final Value reaped;
    private final Value restore;
    private final Value moved;
    private final Value idle;

    Dispatch(Guard guard, Value api) {
        this.guard = guard;
        this.open = api.getMember("open");
        this.message = api.getMember("message");
        this.closed = api.getMember("closed");
        this.turn = api.getMember("turn");
        this.reaped = api.getMember("reaped");
        this.restore = api.getMember("restore");
        this.moved = api.getMember("moved");
        this.idle = api.getMember("idle");
    }

    /** As {@link #open}, for a connection that moved here: its {@code this} from its state, no init(). */
    Value restore(JsConnection connection, String groupId, String stateJson, String sessionId, String after) {
        Value record = guard.call(() -> restore.execute(connection, groupId, stateJson, sessionId, after));
        return record == null || record.isNull() ? null : record;
    }

    /** The connection moved to another node: it leaves this one without exit(). */
    void moved(Value record) {
        guard.call(() -> moved.execute(record));
    }

    /** exit() of a member whose node is gone (see {@link Inboxes#exitElsewhere}). */
    void exitElsewhere(JsConnection gone, String groupId, String stateJson, String sessionId) {
        guard.call(() -> reaped.execute(gone, groupId, stateJson, sessionId));
    }

    /**
     * Makes the connection's {@code this} and starts init(); returns the connection's record,
     * which runtime.js wants back with each frame (so it never looks one up by id). An init()
     * stopped by the watchdog still leaves its record, so that the close releases its session.
     */
    Value open(JsConnection connection, String file, String contextJson, String sessionId) {
        Value record = guard.call(() -> open.execute(connection, file, contextJson, sessionId));
        return record == null || record.isNull() ? null : record;
    }

    void message(Value record, String text, int flags) {
        guard.call(() -> message.execute(record, text, flags));
    }

    /** A resumable connection went {@code away} or came {@code back}: the controller's function of that name runs. */
    void turn(Value record, String which) {
        guard.call(() -> turn.execute(record, which));
    }

    /** True when the connection has no call whose Promise is still pending; else runtime.js tells the connection once it has none. */
    boolean idle(Value record) {
        Value now = guard.call(() -> idle.execute(record));
        return now == null || !now.isBoolean() || now.asBoolean();
    }

    void closed(Value record) {
        guard.call(() -> closed.execute(record));
    }
}
