package io.workjs.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WatchdogTest {

    @Test
    void interruptOfAnIdleContextLeavesNothingBehindForTheNextTask() throws Exception {
        try (Context context = Context.newBuilder("js").engine(Engines.shared()).build()) {
            context.interrupt(Duration.ofSeconds(1));
            assertEquals(2, context.eval("js", "1 + 1").asInt());
        }
    }

    @Test
    void taskPastTheLimitIsInterruptedAndTheContextStaysUsable() throws Exception {
        try (Watchdog watchdog = new Watchdog(200, io.workjs.runtime.Metrics.NONE); EventLoop loop = new EventLoop("test-loop", watchdog, io.workjs.runtime.Metrics.NONE, io.workjs.runtime.LoopBatches.NONE, () -> { })) {
            Context context = loop.call(() -> Context.newBuilder("js").engine(Engines.shared()).build());
            watchdog.attach(context);
            CompletableFuture<PolyglotException> stopped = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    context.eval("js", "while (true) {}");
                } catch (PolyglotException e) {
                    stopped.complete(e);
                }
            });
            PolyglotException e = stopped.get(10, TimeUnit.SECONDS);
            assertTrue(e.isInterrupted(), e.toString());
            CompletableFuture<Integer> next = new CompletableFuture<>();
            loop.execute(() -> next.complete(context.eval("js", "40 + 2").asInt()));
            assertEquals(42, next.get(10, TimeUnit.SECONDS));
            loop.call(() -> {
                context.close();
                return null;
            });
        }
    }
}
