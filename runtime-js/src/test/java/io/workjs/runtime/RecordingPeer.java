package io.workjs.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A peer that keeps what the runtime sends it, for tests of the runtime without a network. */
final class RecordingPeer implements Peer {
    private final String id;
    final BlockingQueue<String> frames;
    final AtomicInteger pauses = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();
    volatile int closeCode = -1;
    volatile String closeReason;
    volatile String renewedSession;

    RecordingPeer(String id) {
        this(id, new LinkedBlockingQueue<>());
    }

    /** A peer whose frames go into {@code frames}, which other peers may share to record one order for all. */
    RecordingPeer(String id, BlockingQueue<String> frames) {
        this.id = id;
        this.frames = frames;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void renewSession(String sessionId) {
        renewedSession = sessionId;
    }

    @Override
    public void send(String text) {
        if (readyState() == OPEN) frames.add(text);
    }

    @Override
    public void send(ByteBuffer utf8) {
        if (readyState() == OPEN) frames.add(StandardCharsets.UTF_8.decode(utf8.duplicate()).toString());
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        frames.add("close " + code + " " + reason);
    }

    @Override
    public int readyState() {
        return closeCode < 0 ? OPEN : CLOSED;
    }

    @Override
    public void pauseReading() {
        pauses.incrementAndGet();
    }

    @Override
    public void resumeReading() {
        resumes.incrementAndGet();
    }

    /** True while the runtime has asked this peer to stop reading. */
    boolean paused() {
        return pauses.get() > resumes.get();
    }

    String next() throws InterruptedException {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) throw new AssertionError("no frame within 10 s for " + id);
        return frame;
    }
}
