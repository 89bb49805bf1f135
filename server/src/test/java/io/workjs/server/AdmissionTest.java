package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.security.UpgradeGuard.Admission;
import io.workjs.server.support.RawUpgrade;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server's admission state: open, draining, closed; only forward, and each refusal says why. */
@Timeout(60)
class AdmissionTest {
    @Test
    void aDrainingServerRefusesNewUpgradesWith503AndKeepsItsConnections(@TempDir Path temp) {
        try (TestSite site = TestSite.start("basic", temp); WsClient open = site.connect("/chat/drain")) {
            assertTrue(open.call("[\"whoami\",null,1]").startsWith("[\"_rpc\""));
            site.server().admission(Admission.DRAINING);
            try (RawUpgrade refused = RawUpgrade.open(site.server().port(), "/chat/drain", null, null)) {
                assertEquals(503, refused.status());
                assertEquals("server is draining: connect again to reach another\n", refused.body());
            }
            assertTrue(open.call("[\"whoami\",null,2]").startsWith("[\"_rpc\""), "connections already open go on");
        }
    }

    @Test
    void admissionOnlyMovesForward(@TempDir Path temp) {
        try (TestSite site = TestSite.start("basic", temp)) {
            site.server().admission(Admission.CLOSED);
            site.server().admission(Admission.OPEN);
            try (RawUpgrade refused = RawUpgrade.open(site.server().port(), "/chat/closed", null, null)) {
                assertEquals(503, refused.status());
                assertEquals("server is stopping\n", refused.body());
            }
        }
    }
}
