package io.workjs.runtime.internal;

import io.workjs.runtime.Peer;
import org.graalvm.polyglot.HostAccess;

/** The only view of a connection that JavaScript gets: send, close and readyState. */
public final class JsPeer {
    private final Peer peer;

    public JsPeer(Peer peer) {
        this.peer = peer;
    }

    Peer peer() {
        return peer;
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
}
