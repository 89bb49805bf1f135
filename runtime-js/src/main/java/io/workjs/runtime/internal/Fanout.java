package io.workjs.runtime.internal;

import io.workjs.runtime.Peer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;

/**
 * The peers of one group. Only the loop thread touches it, so it needs no locking. An event is
 * encoded to UTF-8 once and the same bytes go to every open member.
 */
public final class Fanout {
    private final Map<String, Peer> peers = new LinkedHashMap<>();

    @HostAccess.Export
    public void add(JsPeer peer) {
        peers.put(peer.peer().id(), peer.peer());
    }

    @HostAccess.Export
    public void remove(JsPeer peer) {
        peers.remove(peer.peer().id());
    }

    @HostAccess.Export
    public int size() {
        return peers.size();
    }

    @HostAccess.Export
    public void send(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
        for (Peer peer : peers.values()) {
            if (peer.readyState() == 1) peer.send(bytes);
        }
    }
}
