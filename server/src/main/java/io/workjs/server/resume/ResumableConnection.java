package io.workjs.server.resume;

import io.workjs.runtime.CloseCodes;
import io.workjs.runtime.Inbound;
import io.workjs.runtime.Peer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

/**
 * A connection that outlives its sockets: the runtime's {@link Peer} for as long as the client
 * may come back, whatever socket it is on. Every message sent to it is numbered and kept in its
 * {@link Replay} until the client acknowledges it; every message from the client is counted, so
 * that after a drop the client resends only what did not arrive. While detached (no socket) it
 * goes on taking messages, up to {@code resumeBufferBytes}; past that, or past the window, it
 * ends, and exit() runs.
 *
 * <p>One lock guards it: the loop sends through it, and the I/O threads of its sockets hand it
 * frames, acknowledgements, drops and resumes. So the runtime's {@link Inbound} hears of one
 * thing at a time, in order, whichever socket it came from.
 */
public final class ResumableConnection implements Peer {
    /** The server acknowledges the client's messages at least every this many, and on each heartbeat. */
    static final int ACK_EVERY = 32;

    private final String id;
    private final Resumption home;
    private final Object lock = new Object();
    private final Replay replay;

    // Guarded by lock.
    private String sessionId;
    private String formerSessionId;   // before this.sess.regenerate(): the client may come back before it took the new cookie
    private volatile Peer socket;   // volatile too: pauseReading and readyState read it without the lock
    private Inbound inbound;
    private Runnable onEnd;
    private long received;
    private long acknowledged;
    private long lastSentNanos = System.nanoTime();
    private String token;
    private String previousToken;
    private String ending;         // why close() or stop() was asked for: the socket's end is the connection's
    private boolean replayLost;    // the replay overflowed while attached: no resume is possible
    private String endedBecause;   // non-null once ended
    private boolean detached;      // waiting for the client, counted in Resumption.detached()
    private ScheduledFuture<?> expiry;
    private String lastEvent;      // the position of the last group event sent (a cluster's), for a hand-over

    ResumableConnection(String id, String sessionId, Resumption home, long bufferBytes) {
        this.id = id;
        this.sessionId = sessionId;
        this.home = home;
        this.replay = new Replay(bufferBytes);
    }

    /** A new connection on {@code socket}: issues its token and says welcome; {@link #opened} follows. */
    void start(Peer first, String refusedResume) {
        synchronized (lock) {
            socket = first;
            token = home.newToken(this);
            send(first, Control.welcome(token, false, 0, home.heartbeatMillis(), refusedResume));
        }
    }

    /** The runtime's side of this connection, and what to do when it ends for good (give back its place). */
    void opened(Inbound inbound, Runnable onEnd) {
        synchronized (lock) {
            this.inbound = inbound;
            this.onEnd = onEnd;
        }
    }

    /**
     * The client came back on {@code next} having received {@code clientReceived} messages: null
     * once it is resumed (welcome sent, what it lacks replayed, back() queued), else the reason
     * it cannot be.
     */
    String resume(Peer next, long clientReceived, String requestSession) {
        synchronized (lock) {
            if (endedBecause != null) return endedBecause;
            if (!ofSession(requestSession)) return Reasons.SESSION_MISMATCH;
            if (replayLost || !replay.canReplayAfter(clientReceived)) {
                return clientReceived >= replay.next() ? Reasons.UNKNOWN_TOKEN : Reasons.BUFFER_OVERFLOW;
            }
            Peer old = socket;
            setDetached(false);
            if (old != null) {
                // A resume before the server noticed the old socket die (half open, or a quick
                // client): the new socket takes over, and the old one is closed.
                socket = null;
                old.close(CloseCodes.GOING_AWAY, "resumed on another socket");
                inbound.detached();
            }
            if (expiry != null) expiry.cancel(false);
            replay.ackTo(clientReceived);
            home.retire(previousToken, Reasons.TOKEN_USED);
            previousToken = token;   // good until the client shows it has the new one
            token = home.newToken(this);
            socket = next;
            send(next, Control.welcome(token, true, received, home.heartbeatMillis(), null));
            acknowledged = received;
            for (ByteBuffer message : replay) send(next, message);
            inbound.resumed();
            return null;
        }
    }

    @Override
    public void renewSession(String id) {
        synchronized (lock) {
            formerSessionId = sessionId;
            sessionId = id;
        }
    }

    /** A returning client's cookie names this connection's session, or the one regenerate() replaced. Under the lock. */
    private boolean ofSession(String requestSession) {
        return Objects.equals(sessionId, requestSession) || formerSessionId != null && formerSessionId.equals(requestSession);
    }

    /**
     * The client came back on another node: this connection ends here as moved (no exit(); the
     * connection goes on there), and hands over what the client lacks. A refusal when it has
     * ended, belongs to another session or cannot give the client all it lacks.
     */
    Elsewhere.Departure handOver(long clientReceived, String requestSession) {
        synchronized (lock) {
            if (endedBecause != null) return Elsewhere.Departure.refusal(endedBecause);
            if (!ofSession(requestSession)) return Elsewhere.Departure.refusal(Reasons.SESSION_MISMATCH);
            if (replayLost || !replay.canReplayAfter(clientReceived)) {
                return Elsewhere.Departure.refusal(clientReceived >= replay.next() ? Reasons.UNKNOWN_TOKEN : Reasons.BUFFER_OVERFLOW);
            }
            java.util.List<String> messages = new java.util.ArrayList<>();
            for (ByteBuffer m : replay.after(clientReceived)) messages.add(StandardCharsets.UTF_8.decode(m).toString());
            Elsewhere.Departure d = new Elsewhere.Departure(null, id, received, clientReceived + 1, messages, lastEvent);
            Peer old = socket;
            socket = null;
            if (old != null) old.close(CloseCodes.GOING_AWAY, "resumed on another node");
            setDetached(false);
            endedBecause = Reasons.MOVED;
            if (expiry != null) expiry.cancel(false);
            home.retire(token, Reasons.MOVED);
            home.retire(previousToken, Reasons.MOVED);
            replay.drop(replay.next());
            if (inbound != null) inbound.moved();
            if (onEnd != null) onEnd.run();
            return d;
        }
    }

    /**
     * A connection that moved here from another node, on {@code next}: says welcome (resumed,
     * moved, with {@code lost} when its node died), then sends what the client lacks of what the
     * node that had it handed over, numbered on from there.
     */
    void arrive(Peer next, Elsewhere.Arrival arrival) {
        synchronized (lock) {
            socket = next;
            Elsewhere.Departure d = arrival.departure();
            if (d != null) {
                replay.drop(d.next());
                received = d.received();
            }
            acknowledged = received;
            token = home.newToken(this);
            send(next, Control.welcome(token, true, received, home.heartbeatMillis(), null, true,
                    arrival.nodeLost() ? Reasons.NODE_LOST : null));
            if (d != null) {
                lastEvent = d.lastEvent();
                for (String m : d.messages()) send(m);
            }
        }
    }

    /** A frame from one of this connection's sockets (an old one's, after a takeover, is ignored). */
    public void text(Peer from, String frame) {
        synchronized (lock) {
            if (from != socket || endedBecause != null) return;
            if (previousToken != null) {
                home.retire(previousToken, Reasons.TOKEN_USED);   // the client is on the new token
                previousToken = null;
            }
            long ack = Control.ack(frame);
            if (ack >= 0) {
                if (ack < replay.next()) replay.ackTo(ack);
                return;
            }
            if (Control.bye(frame)) {
                // A close code cannot say "for good" (see ended()): the client says so first, and
                // the connection ends now.
                ending = Reasons.CLOSED;
                from.close(CloseCodes.NORMAL, "bye");
                return;
            }
            received++;
            inbound.message(frame);
            if (received - acknowledged >= ACK_EVERY) acknowledge(from);
        }
    }

    /**
     * A drain: once the calls that arrived on socket {@code from} are answered, {@code closeSocket}
     * closes it (1012). The connection is not ended: it waits detached for its client, which
     * resumes it on another node (or here, if it comes back before the drain is over).
     */
    public void drain(Peer from, Runnable closeSocket) {
        Inbound in;
        synchronized (lock) {
            if (from != socket || endedBecause != null) return;
            in = inbound;
        }
        in.drain(closeSocket);
    }

    /**
     * A socket of this connection ended. When the client said goodbye ({@code _bye}), or the
     * controller or server closed it, the connection ends; else it is detached and waits for the
     * client for the window. The close code says nothing here: Undertow reports a socket that
     * merely went away as a close, and browsers close with 1001 as a page goes, which may come back.
     */
    public void ended(Peer from) {
        synchronized (lock) {
            if (from != socket || endedBecause != null) return;
            socket = null;
            if (ending != null) {
                end(ending);
            } else if (replayLost) {
                end(Reasons.BUFFER_OVERFLOW);
            } else {
                inbound.detached();
                setDetached(true);
                expiry = home.expireLater(this);
            }
        }
    }

    /** The window is over: if the client has not come back, the connection ends. */
    void expire() {
        synchronized (lock) {
            if (socket == null && endedBecause == null) end(Reasons.WINDOW_OVER);
        }
    }

    /** The heartbeat's visit to socket {@code from}: the acknowledgement owed, and a sign of life if nothing was sent for {@code quietNanos}. */
    public void heartbeat(Peer from, long quietNanos) {
        synchronized (lock) {
            Peer s = socket;
            if (s != from || endedBecause != null) return;
            if (received > acknowledged) acknowledge(s);
            if (System.nanoTime() - lastSentNanos >= quietNanos) send(s, Control.ping());
        }
    }

    /** The server is stopping: the connection ends now, whatever its socket. */
    void stop() {
        finish(Reasons.SERVER_STOPPING, CloseCodes.GOING_AWAY, "server is stopping");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(String text) {
        send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void send(ByteBuffer utf8) {
        synchronized (lock) {
            if (endedBecause != null) return;
            if (replayLost) {
                replay.drop(replay.next() + 1);   // numbered, not kept: no resume can use it
            } else if (!replay.add(utf8)) {
                if (socket == null) {
                    end(Reasons.BUFFER_OVERFLOW);   // detached, and no more room: give up cleanly
                    return;
                }
                replayLost = true;   // the client is there but does not acknowledge: resumption is lost
                replay.drop(replay.next() + 1);
            }
            Peer s = socket;
            if (s != null) send(s, utf8);
        }
    }

    /** On a cluster every group event comes with its position, which the client tells on its return (docs/PROTOCOL.md). */
    @Override
    public boolean wantsPositions() {
        return home.positions();
    }

    @Override
    public void sendEvent(ByteBuffer utf8, String position) {
        synchronized (lock) {
            if (endedBecause != null) return;
            lastEvent = position;
            send(utf8);
        }
    }

    /** The controller closed the connection (or init() denied it): it ends for good. */
    @Override
    public void close(int code, String reason) {
        finish(Reasons.CLOSED, code, reason);
    }

    /**
     * Ends the connection from the server's side: the client is told it is over ({@code _ended},
     * so it does not try to resume) before the socket closes; a detached one ends at once.
     */
    private void finish(String why, int code, String reason) {
        synchronized (lock) {
            if (endedBecause != null || ending != null) return;
            ending = why;
            Peer s = socket;
            if (s != null) {
                send(s, Control.ended(why));
                s.close(code, reason);
            } else {
                end(why);
            }
        }
    }

    /** The socket's state; {@link #CONNECTING} while detached (the client may come back), {@link #CLOSED} once ended. */
    @Override
    public int readyState() {
        Peer s = socket;
        if (s != null) return s.readyState();
        return endedBecause == null ? CONNECTING : CLOSED;
    }

    @Override
    public void pauseReading() {
        Peer s = socket;
        if (s != null) s.pauseReading();
    }

    @Override
    public void resumeReading() {
        Peer s = socket;
        if (s != null) s.resumeReading();
    }

    /** Ends the connection for good: its tokens die with {@code reason}, exit() runs, its place is given back. */
    private void end(String reason) {
        setDetached(false);
        endedBecause = reason;
        if (expiry != null) expiry.cancel(false);
        home.retire(token, reason);
        home.retire(previousToken, reason);
        replay.drop(replay.next());
        if (inbound != null) inbound.closed();
        if (onEnd != null) onEnd.run();
    }

    private void setDetached(boolean now) {
        if (detached == now) return;
        detached = now;
        home.detachedBy(now ? 1 : -1);
    }

    private void acknowledge(Peer s) {
        acknowledged = received;
        send(s, Control.ack(received));
    }

    private void send(Peer s, ByteBuffer bytes) {
        lastSentNanos = System.nanoTime();
        s.send(bytes);
    }

    /** Bytes kept for a replay; for tests and diagnostics. */
    long replayBytes() {
        synchronized (lock) {
            return replay.bytes();
        }
    }
}
