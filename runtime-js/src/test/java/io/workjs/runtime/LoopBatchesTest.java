package io.workjs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop tells the transport where its batches begin and end (LoopBatches), and the frames a
 * batch sent are handed over before the loop waits: one record of frames, begins and ends, in the
 * order they happened on the loop.
 */
@Timeout(60)
class LoopBatchesTest {
    @TempDir
    Path site;
    JsRuntime runtime;
    Controller controller;
    /** Frames sent and batch edges, in the loop's order. */
    final BlockingQueue<String> record = new LinkedBlockingQueue<>();
    /** A session write waits here until the test lets it finish. */
    final CompletableFuture<Void> write = new CompletableFuture<>();

    final LoopBatches batches = new LoopBatches() {
        @Override
        public void begin() {
            record.add("begin");
        }

        @Override
        public void end() {
            record.add("end");
        }
    };

    final SessionData sessions = new SessionData() {
        @Override
        public CompletionStage<String> load(String id) {
            return CompletableFuture.completedFuture("{}");
        }

        @Override
        public CompletionStage<Void> save(String id, String json) {
            return write;
        }

        @Override
        public CompletionStage<Void> delete(String id) {
            return write;
        }

        @Override
        public CompletionStage<Renewal> renew(String id, String json) {
            return write.thenApply(done -> new Renewal(id + "-renewed", "ticket"));
        }
    };

    @BeforeEach
    void start() throws Exception {
        Path file = site.resolve("b.ws");
        Files.writeString(file, """
                function init() { return 'g'; }
                function echo(p) { return p; }
                function remember(p) { this.sendJSON('before the write'); this.sess.set('k', p); return 'written'; }
                """);
        runtime = JsRuntime.start(site, RuntimeLimits.DEFAULTS,
                RuntimeServices.defaults().withSessions(sessions).withBatches(batches));
        controller = runtime.load(file);
    }

    @AfterEach
    void stop() {
        write.complete(null);
        runtime.close();
    }

    @Test
    void aReplyIsSentInsideABatchThatThenEnds() throws Exception {
        runtime.opened(new RecordingPeer("a", record), controller, Map.of(), "s").message("[\"echo\",5,1]");
        String reply = "[\"_rpc\",5,1]";
        String last = null;
        for (String event = next(); !event.equals(reply); event = next()) last = event;
        assertEquals("begin", last, "the reply was sent between a begin and its end");
        assertEquals("end", next());
    }

    @Test
    void whatABatchSentIsHandedOverBeforeTheLoopWaitsForASessionWrite() throws Exception {
        runtime.opened(new RecordingPeer("a", record), controller, Map.of(), "s").message("[\"remember\",7,1]");
        while (!next().equals("\"before the write\"")) {
            // the open and init() come first
        }
        assertEquals("end", next(), "the frame went to the transport while the write was still waiting");
        assertFalse(write.isDone());
        write.complete(null);
        assertEquals("begin", next(), "the batch goes on after the wait");
        assertEquals("[\"_rpc\",\"written\",1]", next());
        assertEquals("end", next());
    }

    private String next() throws InterruptedException {
        String event = record.poll(10, TimeUnit.SECONDS);
        if (event == null) throw new AssertionError("nothing within 10 s; so far: " + record);
        return event;
    }
}
