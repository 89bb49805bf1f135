package io.workjs.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCookieTest {
    private static final SessionCookie OLD = SessionCookie.of(List.of("old-secret-old-secret-old-secret!"));

    @Test
    void aSignedIdVerifiesToItself() {
        String id = SessionCookie.newId();
        assertEquals(22, id.length());
        assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
        assertEquals(id, OLD.verify(OLD.sign(id)));
        assertNotEquals(id, SessionCookie.newId());
    }

    @Test
    void aCookieSignedWithAnOldSecretVerifiesWhileThatSecretIsStillListed() {
        String cookie = OLD.sign(SessionCookie.newId());
        SessionCookie rotated = SessionCookie.of(List.of("new-secret-new-secret-new-secret!", "old-secret-old-secret-old-secret!"));
        SessionCookie removed = SessionCookie.of(List.of("new-secret-new-secret-new-secret!"));
        assertEquals(cookie.substring(0, 22), rotated.verify(cookie));
        assertNull(removed.verify(cookie));
        String fresh = rotated.sign("AAAAAAAAAAAAAAAAAAAAAA");
        assertEquals("AAAAAAAAAAAAAAAAAAAAAA", removed.verify(fresh), "the first secret signs");
    }

    @Test
    void forgedTamperedAndGarbageValuesVerifyToNothing() {
        String good = OLD.sign(SessionCookie.newId());
        String otherId = SessionCookie.newId() + good.substring(22);
        char last = good.charAt(good.length() - 1);
        String tampered = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');   // only spare bits change
        String tamperedMiddle = good.substring(0, 40) + (good.charAt(40) == 'A' ? 'B' : 'A') + good.substring(41);
        String forged = SessionCookie.of(List.of("attacker-attacker-attacker-attack")).sign(good.substring(0, 22));
        for (String bad : new String[] {null, "", "garbage", good + "x", otherId, tampered, tamperedMiddle, forged,
                good.replace('.', '!'), good.substring(0, 23) + "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%"}) {
            assertNull(OLD.verify(bad), String.valueOf(bad));
        }
    }
}
