package io.workjs.runtime.internal;

import io.workjs.runtime.GroupBus;
import io.workjs.runtime.Peer;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The only view of a connection that JavaScript gets: send, close, readyState, and telling the
 * inbox that init() has settled. It is also the connection's membership in its group, and holds
 * the connection's {@code this} so that other members can see it in {@code this.group}.
 */
public final class JsConnection implements GroupBus.Member {
    private final Peer peer;
    private final Inbox inbox;
    /** Written on the loop by {@link #renewSession}, read by a cluster's group bus off it. */
    private volatile String session;
    private Value self;

    /** A connection's view; {@code inbox} is null for the stand-in of a member whose node is gone (see JsRuntime#exitElsewhere). */
    JsConnection(Peer peer, Inbox inbox, String session) {
        this.peer = peer;
        this.inbox = inbox;
        this.session = session;
    }

    @Override
    @HostAccess.Export
    public String id() {
        return peer.id();
    }

    @Override
    public Peer peer() {
        return peer;
    }

    @Override
    public String session() {
        return session;
    }

    /** The connection's {@code this}; null until runtime.js made it. */
    Value self() {
        return self;
    }

    @HostAccess.Export
    public void attach(Value self) {
        this.self = self;
    }

    @HostAccess.Export
    public void send(String text) {
        peer.send(text);
    }

    @HostAccess.Export
    public void close(int code, String reason) {
        peer.close(code, reason);
    }

    @HostAccess.Export
    public int readyState() {
        return peer.readyState();
    }

    /** {@code this.sess.regenerate()} gave the connection a new session id. */
    @HostAccess.Export
    public void renewSession(String id) {
        session = id;
        peer.renewSession(id);
    }

    /** The calls a drain waited for are answered (runtime.js {@code idle}). */
    @HostAccess.Export
    public void idle() {
        if (inbox != null) inbox.idle();
    }

    /** init() accepted or denied the connection: its frames may run now. */
    @HostAccess.Export
    public void settled() {
        if (inbox != null) inbox.settled();
    }
}
