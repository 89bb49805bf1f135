package io.workjs.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.server.config.Sessions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SessionCookiesTest {
    @TempDir
    Path data;

    private SessionCookies cookies(boolean secure) {
        Sessions settings = new Sessions(List.of(), 60, "sid");
        StoredSessions sessions = new StoredSessions(MvSessionStore.open(data.resolve(secure + ".mv.db")), settings, System::currentTimeMillis);
        return new SessionCookies(SessionCookie.of(List.of("0123456789abcdef0123456789abcdef")), settings, secure, sessions,
                new io.workjs.server.security.OriginCheck(null, List.of()));
    }

    @Test
    void theCookieHeaderHasTheFlagsAndSecureOnlyForHttps() {
        assertEquals("sid=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax", cookies(false).header("v"));
        assertEquals("sid=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure", cookies(true).header("v"));
    }
}
