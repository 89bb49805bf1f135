package io.workjs.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.workjs.runtime.SessionData;
import io.workjs.server.config.Sessions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StoredSessionsTest {
    @TempDir
    Path data;

    private final AtomicLong now = new AtomicLong(1_000_000);

    private StoredSessions sessions() {
        return new StoredSessions(MvSessionStore.open(data.resolve("s.mv.db")), new Sessions(List.of(), 60, "sid"), now::get);
    }

    private static String load(StoredSessions sessions, String id) {
        return sessions.load(id).toCompletableFuture().join();
    }

    @Test
    void aSessionIdleLongerThanTheIdleTimeLoadsAsAnonymousAndIsSwept() {
        try (StoredSessions sessions = sessions()) {
            sessions.save("a", "{\"n\":1}").toCompletableFuture().join();
            now.addAndGet(59_000);
            assertEquals("{\"n\":1}", load(sessions, "a"), "used within the idle time, and that load counts as use");
            now.addAndGet(59_000);
            assertEquals("{\"n\":1}", load(sessions, "a"));
            now.addAndGet(61_000);
            assertNull(load(sessions, "a"), "idle over 60 s: anonymous even before the sweep");
            assertEquals(1, sessions.sweep());
            assertNull(load(sessions, "a"), "and after it");
            assertEquals("{}", load(sessions, "b"), "an id without a record is a fresh session");
        }
    }

    @Test
    void anExpiredIdMayNotBeIssuedAgainButAFreshOneMay() {
        try (StoredSessions sessions = sessions()) {
            sessions.save("a", "{}").toCompletableFuture().join();
            assertEquals(true, sessions.usable("a"));
            assertEquals(true, sessions.usable("never-seen"));
            now.addAndGet(61_000);
            assertEquals(false, sessions.usable("a"));
        }
    }

    @Test
    void aStoreThatFailsFailsTheStageWithSessionFailed() {
        StoredSessions sessions = sessions();
        sessions.close();   // the store is closed: every write fails
        Throwable failure = sessions.save("a", "{}").toCompletableFuture().handle((v, e) -> e).join();
        assertEquals("SESSION_FAILED", ((io.workjs.runtime.ServiceException) failure).code());
    }

    @Test
    void renewMovesTheDataToANewIdAndItsTicketIsGoodOnceForThirtySecondsForTheOldOrNewCookieOnly() {
        try (StoredSessions sessions = sessions()) {
            sessions.save("old", "{\"user_id\":3}").toCompletableFuture().join();
            SessionData.Renewal r = sessions.renew("old", "{\"user_id\":4}").toCompletableFuture().join();
            assertEquals("{\"user_id\":4}", load(sessions, r.id()));
            assertEquals("{}", load(sessions, "old"), "the old id has no data left");
            assertNull(sessions.redeem(r.ticket(), "someone-else"), "another browser's cookie");
            assertNull(sessions.redeem(r.ticket(), "old"), "spent by the wrong browser");

            SessionData.Renewal again = sessions.renew(r.id(), "{}").toCompletableFuture().join();
            assertEquals(again.id(), sessions.redeem(again.ticket(), r.id()));
            assertNull(sessions.redeem(again.ticket(), r.id()), "once");

            SessionData.Renewal late = sessions.renew(again.id(), "{}").toCompletableFuture().join();
            now.addAndGet(StoredSessions.TICKET_MILLIS + 1);
            assertNull(sessions.redeem(late.ticket(), again.id()), "expired");

            SessionData.Renewal retried = sessions.renew(late.id(), "{}").toCompletableFuture().join();
            assertEquals(retried.id(), sessions.redeem(retried.ticket(), retried.id()), "a browser that has the new cookie already");
        }
    }
}
