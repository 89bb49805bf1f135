package io.workjs.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.workjs.server.config.Sessions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SessionManagerTest {
    @TempDir
    Path data;

    private final AtomicLong now = new AtomicLong(1_000_000);

    private SessionManager manager(MvSessionStore store) {
        return new SessionManager(SessionCookie.of(List.of("0123456789abcdef0123456789abcdef")), store,
                new Sessions(List.of(), 60, "sid"), false, now::get);
    }

    @Test
    void aSessionIdleLongerThanTheIdleTimeLoadsAsAnonymousAndIsSwept() {
        MvSessionStore store = MvSessionStore.open(data.resolve("s.mv.db"));
        try (SessionManager sessions = manager(store)) {
            sessions.save("a", "{\"n\":1}");
            now.addAndGet(59_000);
            assertEquals("{\"n\":1}", sessions.load("a"), "used within the idle time, and that load counts as use");
            now.addAndGet(59_000);
            assertEquals("{\"n\":1}", sessions.load("a"));
            now.addAndGet(61_000);
            assertNull(sessions.load("a"), "idle over 60 s: anonymous even before the sweep");
            assertEquals(1, sessions.sweep());
            assertNull(sessions.load("a"), "and after it");
            assertEquals("{}", sessions.load("b"), "an id without a record is a fresh session");
        }
    }

    @Test
    void theCookieHeaderHasTheFlagsAndSecureOnlyForHttps() {
        try (SessionManager plain = manager(MvSessionStore.open(data.resolve("s.mv.db")))) {
            assertEquals("sid=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax", plain.header("v"));
        }
        try (SessionManager https = new SessionManager(SessionCookie.of(List.of("k")), MvSessionStore.open(data.resolve("t.mv.db")),
                new Sessions(List.of(), 60, "sid"), true, now::get)) {
            assertEquals("sid=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure", https.header("v"));
        }
    }
}
