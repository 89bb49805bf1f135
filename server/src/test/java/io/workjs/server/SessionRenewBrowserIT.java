package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;

/**
 * this.sess.regenerate() in Chromium (docs/PROTOCOL.md, "_session"): the shipped client trades
 * the ticket for the new cookie before it hands the page the login call's answer, so a connection
 * the page opens then, or a page it moves on to, already sends the new cookie; the old one is left
 * with no data.
 */
@Timeout(120)
class SessionRenewBrowserIT {
    @TempDir
    Path temp;

    @Test
    void aPageThatMovesOnWhenLoginAnswersArrivesWithTheNewHttpOnlyCookieAndTheOldOneIsEmpty() throws Exception {
        Browser.requireInstalled();
        try (TestSite site = TestSite.serveWithConf(TestSite.copy("sessions", temp)); Browser page = Browser.start()) {
            page.open(site.url() + "/login");
            page.await("connected, nobody yet", "window.who === null");
            Cookie before = page.driver().manage().getCookieNamed("workjs_session");

            page.js("login('ann')");
            page.await("the next page knows who it is", "location.search !== '' && window.who !== undefined");
            assertEquals("?probed=ann", page.eval("location.search"), "a connection opened as login answered had the new session");
            assertEquals("ann", page.eval("window.who"), "and so has the page the browser moved on to");
            Cookie after = page.driver().manage().getCookieNamed("workjs_session");
            assertNotEquals(before.getValue(), after.getValue(), "a new session id");
            assertTrue(after.isHttpOnly(), "still HttpOnly");
            assertEquals("[]", page.eval("JSON.stringify(window.errors)"));

            try (WsClient old = WsClient.connect(site.url(), "/login", "Cookie", "workjs_session=" + before.getValue())) {
                assertEquals("[\"_rpc\",null,1]", old.call("[\"whoami\",null,1]"), "the old cookie has no login");
            }
        }
    }
}
