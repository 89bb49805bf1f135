package io.workjs.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MvSessionStoreTest {
    @TempDir
    Path data;

    @Test
    void savedDataIsThereAfterTheStoreIsReopened() {
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            store.save("a", "{\"user_id\":7}", 1000);
        }
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            assertEquals(new SessionStore.Stored("{\"user_id\":7}", 1000), store.load("a"));
            assertNull(store.load("b"));
        }
    }

    @Test
    void touchMovesTheLastUseOfAStoredSessionAndCreatesNothing() {
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            store.save("a", "{}", 1000);
            store.touch("a", 5000);
            store.touch("nobody", 5000);
            assertEquals(5000, store.load("a").lastUse());
            assertNull(store.load("nobody"));
            assertEquals(1, store.size());
        }
    }

    @Test
    void sweepExpiresIdleSessionsKeepsTheirIdsRefusedThenForgetsThem() {
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            store.save("old", "{\"x\":1}", 1000);
            store.save("fresh", "{\"x\":2}", 9000);
            assertEquals(1, store.sweep(5000, 0));
            assertTrue(store.load("old").expired(), "the expired id stays refused");
            assertEquals("{\"x\":2}", store.load("fresh").json());
            store.touch("old", 9999);
            assertEquals(1000, store.load("old").lastUse(), "touch does not revive an expired session");
            assertEquals(0, store.sweep(5000, 2000));
            assertNull(store.load("old"), "forgotten once it is older than the forget time");
            assertEquals(1, store.size());
        }
    }

    @Test
    void deleteRemovesTheRecord() {
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            store.save("a", "{}", 1);
            store.delete("a");
            store.delete("never");
            assertNull(store.load("a"));
            assertEquals(0, store.size());
        }
    }

    @Test
    void aTicketIsTakenOnceOnlyBeforeItExpiresSurvivesAReopenAndIsSweptAfter() {
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            store.putTicket("t1", "new old", 31_000);
            store.putTicket("t2", "new2 old2", 31_000);
            store.putTicket("t3", "new3 old3", 31_000);
            store.putTicket("t4", "new4 old4", 31_000);
        }
        try (MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"))) {
            assertEquals("new old", store.takeTicket("t1", 30_000));
            assertNull(store.takeTicket("t1", 30_000), "once only");
            assertNull(store.takeTicket("t2", 31_000), "expired");
            assertNull(store.takeTicket("t2", 1_000), "and gone for good");
            assertNull(store.takeTicket("never", 1_000));
            store.sweep(31_000, 0);
            assertEquals("new3 old3", store.takeTicket("t3", 0), "a sweep keeps a ticket that has not expired before its bound");
            store.sweep(31_001, 0);
            assertNull(store.takeTicket("t4", 0), "and drops one that has");
        }
    }
}
