package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to frames between the transport and the loop: they wait in bounded queues, a
 * connection over its bound is paused and resumed, and the loop takes turns among connections.
 * The test plays the transport: it stops sending to a paused peer, as TCP would.
 */
@Timeout(60)
class InboundTest {
    @TempDir
    Path site;
    JsRuntime runtime;
    Controller controller;
    /** Every frame sent to any peer, in the order they were sent. */
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (runtime != null) runtime.close();
    }

    private void start(RuntimeLimits limits) throws Exception {
        Path file = site.resolve("q.ws");
        Files.writeString(file, """
                function init() { return 'q'; }
                function hold(ms) { const until = Date.now() + ms; while (Date.now() < until) {} return ms; }
                function block(ms) { this.sendJSON('blocking'); return hold(ms); }
                function echo(p) { return p; }
                """);
        runtime = JsRuntime.start(site, limits, RuntimeServices.defaults());
        controller = runtime.load(file);
    }

    private RecordingPeer peer(String id) {
        return new RecordingPeer(id, frames);
    }

    /** Calls {@code fn(param)} with the seq "peer:n", so that every reply says whose it is. */
    private static void call(Inbound inbound, RecordingPeer peer, String fn, int param, int n) {
        inbound.message("[\"" + fn + "\"," + param + ",\"" + peer.id() + ":" + n + "\"]");
    }

    /** The next reply to anyone, as its seq "peer:n". */
    private String nextReply() throws InterruptedException {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) throw new AssertionError("no reply within 10 s");
        return frame.substring(frame.lastIndexOf(",\"") + 2, frame.length() - 2);
    }

    /** Holds the loop for {@code ms} on a connection of its own, and returns once the loop is held. */
    private void blockTheLoop(int ms) throws InterruptedException {
        RecordingPeer blocker = new RecordingPeer("blocker");
        runtime.opened(blocker, controller, Map.of(), null).message("[\"block\"," + ms + "]");
        assertEquals("\"blocking\"", blocker.next());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(2);
        }
    }

    @Test
    void aConnectionWithMoreFramesWaitingThanItsBoundIsPausedAndResumedOnceItsQueueHalves() throws Exception {
        start(RuntimeLimits.DEFAULTS.with(RuntimeLimits.MAX_PENDING_FRAMES, 4));
        RecordingPeer a = peer("a");
        Inbound inbound = runtime.opened(a, controller, Map.of(), null);
        call(inbound, a, "hold", 0, 0);
        assertEquals("a:0", nextReply());
        blockTheLoop(300);
        int n = 0;
        while (!a.paused()) call(inbound, a, "echo", 0, ++n);
        assertEquals(4, n, "paused as the fourth frame queued");
        for (int i = 1; i <= n; i++) assertEquals("a:" + i, nextReply());
        await("read again once its queue was half empty", () -> !a.paused());
        assertEquals(1, a.pauses.get());
    }

    @Test
    void aPauseDecidedAsTheLoopTakesTheLastFrameIsUndoneAllTheSame() throws Exception {
        // With a bound of one frame, nearly every frame pauses its connection, and the loop is
        // often taking that very frame while the transport decides so: the race a real server
        // meets at random under load. A pause nobody undoes would leave the socket unread for good.
        start(RuntimeLimits.DEFAULTS.with(RuntimeLimits.MAX_PENDING_FRAMES, 1)
                .with(RuntimeLimits.CALLS_PER_SECOND, 1_000_000).with(RuntimeLimits.CALL_BURST, 1_000_000));
        RecordingPeer a = peer("a");
        Inbound inbound = runtime.opened(a, controller, Map.of(), null);
        int sent = 0;
        for (int i = 1; i <= 20_000; i++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (a.paused()) {
                if (System.nanoTime() > deadline) throw new AssertionError("never read again after frame " + (i - 1) + " of 20,000");
                Thread.onSpinWait();
            }
            call(inbound, a, "echo", 0, i);
            sent++;
        }
        for (int i = 1; i <= sent; i++) assertEquals("a:" + i, nextReply());
        await("read again after the last frame", () -> !a.paused());
        assertTrue(a.pauses.get() > 0, "the bound paused the connection");
    }

    @Test
    void theLoopTakesTurnsSoABusyConnectionDelaysAnotherByOneFrameNotItsQueue() throws Exception {
        start(RuntimeLimits.DEFAULTS);
        RecordingPeer x = peer("x");
        RecordingPeer busy = peer("busy");
        RecordingPeer polite = peer("polite");
        Inbound toX = runtime.opened(x, controller, Map.of(), null);
        Inbound toBusy = runtime.opened(busy, controller, Map.of(), null);
        Inbound toPolite = runtime.opened(polite, controller, Map.of(), null);
        call(toX, x, "hold", 0, 0);
        call(toBusy, busy, "hold", 0, 0);
        call(toPolite, polite, "hold", 0, 0);
        for (int i = 0; i < 3; i++) nextReply();   // all three are open and settled
        call(toX, x, "block", 300, 1);          // while it holds the loop, the others queue
        for (int i = 1; i <= 20; i++) call(toBusy, busy, "hold", 5, i);
        call(toPolite, polite, "echo", 0, 1);
        List<String> order = new ArrayList<>();
        assertEquals("\"blocking\"", frames.poll(10, TimeUnit.SECONDS));
        for (int i = 0; i < 22; i++) order.add(nextReply());
        assertEquals("x:1", order.getFirst());
        assertEquals("busy:1", order.get(1));
        assertEquals("polite:1", order.get(2), "the polite call waited for one frame of the busy connection, not twenty: " + order);
    }

    @Test
    void framesOfAllConnectionsTogetherAreBoundedToo() throws Exception {
        // The frame the loop is running counts until its batch ends: 1 running + 6 waiting.
        start(RuntimeLimits.DEFAULTS.with(RuntimeLimits.MAX_PENDING_FRAMES_TOTAL, 7));
        List<RecordingPeer> peers = new ArrayList<>();
        List<Inbound> inbounds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peers.add(peer("p" + i));
            inbounds.add(runtime.opened(peers.get(i), controller, Map.of(), null));
        }
        for (int i = 0; i < 4; i++) call(inbounds.get(i), peers.get(i), "hold", 0, 0);
        for (int i = 0; i < 4; i++) nextReply();   // all four are open and settled
        await("the loop has counted those frames off", () -> runtime.pendingFrames() == 0);
        blockTheLoop(300);
        int calls = 0;
        for (int round = 1; round <= 2; round++) {
            for (int i = 1; i < 4; i++) {
                if (peers.get(i).paused()) continue;
                call(inbounds.get(i), peers.get(i), "echo", 0, round);
                calls++;
            }
        }
        assertEquals(6, calls);
        assertEquals(7, runtime.pendingFrames(), "the total bound");
        assertTrue(peers.get(3).paused(), "the connection whose frame reached the total was paused, though its own queue is short");
        assertTrue(!peers.get(1).paused() && !peers.get(2).paused(), "the others were not");
        for (int i = 0; i < calls; i++) nextReply();
        await("the loop counts them all off after its batch", () -> runtime.pendingFrames() == 0);
        await("every paused connection is read again", () -> peers.stream().noneMatch(RecordingPeer::paused));
    }
}
