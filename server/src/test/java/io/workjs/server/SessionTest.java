package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.session.MvSessionStore;
import io.workjs.server.session.SessionCookie;
import io.workjs.server.session.SessionStores;
import io.workjs.server.support.ResumeClient;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Sessions end to end: the cookie on session pages, this.sess over real WebSockets, the store on disk. */
@Timeout(60)
class SessionTest {
    static final Pattern SET_COOKIE = Pattern.compile("^workjs_session=([A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}); Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax$");
    static final String OLD = "old-secret-old-secret-old-secret-1";
    static final String NEW = "new-secret-new-secret-new-secret-2";
    static final String ANONYMOUS = "[\"_rpc\",{\"data\":{\"user_id\":0}},1]";

    @TempDir
    Path temp;

    /** The cookie value a session page sets (the Set-Cookie header is checked on the way). */
    static String cookie(TestSite site) {
        HttpResponse<String> page = site.get("/sess");
        assertEquals(200, page.statusCode());
        String header = page.headers().firstValue("set-cookie").orElseThrow(() -> new AssertionError("no Set-Cookie"));
        Matcher m = SET_COOKIE.matcher(header);
        assertTrue(m.matches(), header);
        return m.group(1);
    }

    static WsClient connect(TestSite site, String cookie) {
        return WsClient.connect(site.url(), "/sess", "Cookie", "workjs_session=" + cookie);
    }

    private TestSite start(String conf) throws Exception {
        Path dir = Files.isDirectory(temp.resolve("sessions")) ? temp.resolve("sessions") : TestSite.copy("sessions", temp);
        if (conf != null) Files.writeString(dir.resolve("CONF"), conf);
        return TestSite.serveWithConf(dir);
    }

    @Test
    void aSessionPageSetsAnHttpOnlyLaxCookieForTheWholeSiteAndOtherPagesSetNone() throws Exception {
        try (TestSite site = start(null)) {
            String first = cookie(site);
            assertNotEquals(first, cookie(site), "a request without a cookie gets a new session");
            assertEquals(first, site.get("/sess", "Cookie", "workjs_session=" + first).headers()
                    .firstValue("set-cookie").orElseThrow().split(";")[0].substring("workjs_session=".length()),
                    "a valid cookie is kept");
            assertTrue(site.get("/nosess").headers().firstValue("set-cookie").isEmpty());
            assertTrue(site.get("/").headers().firstValue("set-cookie").isEmpty());
        }
    }

    @Test
    void theCookieIsSecureWhenTheSiteOriginIsHttps() throws Exception {
        try (TestSite site = start("{\"origin\": \"https://chat.example\"}")) {
            String header = site.get("/sess").headers().firstValue("set-cookie").orElseThrow();
            assertTrue(header.endsWith("; HttpOnly; SameSite=Lax; Secure"), header);
        }
    }

    @Test
    void anUpgradeWithTheCookieGetsTheSessionWithSetGetAndClear() throws Exception {
        try (TestSite site = start(null)) {
            String cookie = cookie(site);
            String id = cookie.substring(0, 22);
            try (WsClient ws = connect(site, cookie)) {
                assertEquals("[\"_rpc\",{\"id\":\"" + id + "\",\"data\":{\"user_id\":0}},1]", ws.call("[\"show\",null,1]"));
                assertEquals("[\"_rpc\",{\"user_id\":0,\"cart\":[1,2]},2]", ws.call("[\"put\",{\"key\":\"cart\",\"value\":[1,2]},2]"));
                assertEquals("[\"_rpc\",[1,2],3]", ws.call("[\"read\",\"cart\",3]"));
                ws.call("[\"put\",{\"key\":\"o\",\"value\":{\"x\":1}},0]");
                assertEquals("[\"_rpc\",{\"x\":1},4]", ws.call("[\"changeCopy\",\"o\",4]"), "get() hands out a copy");
                assertEquals("[\"_rpc\",{\"id\":\"" + id + "\",\"data\":{\"user_id\":0}},5]", ws.call("[\"wipe\",null,5]"));
                assertEquals("[\"_rpc\",\"absent\",6]", ws.call("[\"read\",\"cart\",6]"));
            }
        }
    }

    @Test
    void aValueJsonCannotCarryIsAClearTypeError() throws Exception {
        try (TestSite site = start(null); WsClient ws = connect(site, cookie(site))) {
            assertEquals("[\"_rpc\",null,1,{\"code\":\"CALL_FAILED\",\"message\":\"session value for \\\"f\\\" is not JSON: function\"}]",
                    ws.call("[\"putFunction\",null,1]"));
            String cycle = ws.call("[\"putCycle\",null,2]");
            assertTrue(cycle.startsWith("[\"_rpc\",null,2,{\"code\":\"CALL_FAILED\",\"message\":\"session value for \\\"a\\\" is not JSON: "), cycle);
        }
    }

    @Test
    void aSetThroughOneConnectionIsSeenByAnotherOfTheSameSessionAndNotByAnotherSession() throws Exception {
        try (TestSite site = start(null)) {
            String mine = cookie(site);
            try (WsClient a = connect(site, mine); WsClient b = connect(site, mine); WsClient other = connect(site, cookie(site));
                    WsClient noFlag = WsClient.connect(site.url(), "/nosess", "Cookie", "workjs_session=" + mine)) {
                a.call("[\"put\",{\"key\":\"user_id\",\"value\":42},1]");
                assertEquals("[\"_rpc\",42,2]", b.call("[\"userId\",null,2]"));
                assertEquals("[\"_rpc\",0,3]", other.call("[\"userId\",null,3]"));
                assertEquals("[\"_rpc\",42,4]", noFlag.call("[\"userId\",null,4]"), "any ws route reads the cookie");
            }
        }
    }

    @Test
    void sessionDataSurvivesARestartAndTheGeneratedSecretIsOwnerOnlyAndReused() throws Exception {
        String cookie;
        try (TestSite site = start(null)) {
            cookie = cookie(site);
            try (WsClient ws = connect(site, cookie)) {
                ws.call("[\"put\",{\"key\":\"name\",\"value\":\"ann\"},1]");
            }
        }
        Path data = temp.resolve("sessions/.workjs");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secret"))));
        try (TestSite site = start(null); WsClient ws = connect(site, cookie)) {
            assertEquals("[\"_rpc\",\"ann\",2]", ws.call("[\"read\",\"name\",2]"));
        }
    }

    @Test
    void aSessionWithoutDataWritesNothingToTheStore() throws Exception {
        try (TestSite site = start(null); WsClient ws = connect(site, cookie(site))) {
            ws.call("[\"show\",null,1]");
            ws.call("[\"read\",\"x\",2]");
        }
        try (MvSessionStore store = MvSessionStore.open(temp.resolve("sessions/.workjs").resolve(SessionStores.STORE_FILE))) {
            assertEquals(0, store.size());
        }
    }

    @Test
    void forgedTamperedGarbageAndExpiredCookiesGetTheAnonymousSession() throws Exception {
        String conf = "{\"sessionSecrets\": [\"" + OLD + "\"]}";
        SessionCookie signer = SessionCookie.of(List.of(OLD));
        String expiredId = SessionCookie.newId();
        String cookie;
        try (TestSite site = start(conf)) {
            cookie = cookie(site);
        }
        try (MvSessionStore store = MvSessionStore.open(temp.resolve("sessions/.workjs").resolve(SessionStores.STORE_FILE))) {
            store.save(expiredId, "{\"user_id\":9}", 1000);   // last used in 1970: long idle
        }
        char last = cookie.charAt(cookie.length() - 1);
        List<String> bad = List.of(
                SessionCookie.of(List.of(NEW)).sign(cookie.substring(0, 22)),           // forged: another key
                cookie.substring(0, cookie.length() - 1) + (last == 'A' ? 'B' : 'A'),    // tampered signature, last character
                cookie.substring(0, 40) + (cookie.charAt(40) == 'A' ? 'B' : 'A') + cookie.substring(41),   // and a middle one
                SessionCookie.newId() + cookie.substring(22),                            // tampered id
                "garbage", "", "%%%;;;\"",                                               // garbage
                signer.sign(expiredId));                                                 // expired
        try (TestSite site = start(conf)) {
            for (String value : bad) {
                try (WsClient ws = connect(site, value)) {
                    assertEquals(ANONYMOUS, ws.call("[\"show\",null,1]"), value);
                    String denied = ws.call("[\"put\",{\"key\":\"k\",\"value\":1},2]");
                    assertTrue(denied.startsWith("[\"_rpc\",null,2,{\"code\":\"NO_SESSION\""), denied);
                }
            }
            assertTrue(site.get("/sess", "Cookie", "workjs_session=" + signer.sign(expiredId)).headers()
                    .firstValue("set-cookie").orElseThrow().indexOf(expiredId) < 0, "the page replaces an expired session");
        }
    }

    @Test
    void aCookieSignedWithAnOldSecretWorksWhileTheSecretIsListedSecondAndNotOnceRemoved() throws Exception {
        String cookie;
        try (TestSite site = start("{\"sessionSecrets\": [\"" + OLD + "\"]}")) {
            cookie = cookie(site);
            try (WsClient ws = connect(site, cookie)) {
                ws.call("[\"put\",{\"key\":\"user_id\",\"value\":5},1]");
            }
        }
        try (TestSite site = start("{\"sessionSecrets\": [\"" + NEW + "\", \"" + OLD + "\"]}"); WsClient ws = connect(site, cookie)) {
            assertEquals("[\"_rpc\",5,2]", ws.call("[\"userId\",null,2]"));
        }
        try (TestSite site = start("{\"sessionSecrets\": [\"" + NEW + "\"]}"); WsClient ws = connect(site, cookie)) {
            assertEquals(ANONYMOUS, ws.call("[\"show\",null,1]"));
        }
    }

    @Test
    void aSecondServerOnTheSameDataFolderRefusesToStartAndSaysWhy() throws Exception {
        try (TestSite site = start(null)) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> TestSite.serveWithConf(site.dir()));
            assertTrue(e.getMessage().startsWith("cannot open the session store ") && e.getMessage().contains("is another server using this data folder?"),
                    e.getMessage());
            assertEquals("[\"_rpc\",{\"data\":{\"user_id\":0}},1]", site.connect("/sess").call("[\"show\",null,1]"), "the first one runs on");
        }
    }

    @Test
    void aConnectionWithoutACookieHasTheSeedsAnonymousSession() throws Exception {
        try (TestSite site = start(null); WsClient ws = site.connect("/sess")) {
            assertEquals(ANONYMOUS, ws.call("[\"show\",null,1]"));
        }
    }

    // this.sess.regenerate(): a new id and cookie for the calling connection, keeping the data.

    static final Pattern TICKET = Pattern.compile("^\\[\"_session\",\\{\"ticket\":\"([A-Za-z0-9_-]{22})\"}]$");

    /** Calls login (set user_id, then regenerate()) and returns the ticket of the _session event that comes before its reply. */
    static String login(WsClient ws, int userId, int seq) {
        ws.send("[\"login\"," + userId + "," + seq + "]");
        Matcher m = TICKET.matcher(ws.next());
        assertTrue(m.matches(), "the _session event comes first");
        assertEquals("[\"_rpc\",{\"user_id\":" + userId + "}," + seq + "]", ws.next());
        return m.group(1);
    }

    static HttpResponse<String> renew(TestSite site, String ticket, String cookie) {
        return cookie == null ? site.post("/_workjs/session", ticket) : site.post("/_workjs/session", ticket, "Cookie", "workjs_session=" + cookie);
    }

    @Test
    void regenerateMovesTheCallersSessionToANewCookieOnceForItsTicketAndLeavesThePlantedIdEmpty() throws Exception {
        try (TestSite site = start(null)) {
            String planted = cookie(site);
            try (WsClient victim = connect(site, planted); WsClient planter = connect(site, planted)) {
                String ticket = login(victim, 42, 1);
                assertEquals("[\"_rpc\",0,2]", planter.call("[\"userId\",null,2]"), "the other connection of the old id sees no login");

                HttpResponse<String> taken = renew(site, ticket, planted);
                assertEquals(204, taken.statusCode());
                assertEquals("no-store", taken.headers().firstValue("cache-control").orElseThrow());
                Matcher m = SET_COOKIE.matcher(taken.headers().firstValue("set-cookie").orElseThrow());
                assertTrue(m.matches(), taken.headers().toString());
                String renewed = m.group(1);
                assertNotEquals(planted.substring(0, 22), renewed.substring(0, 22));
                assertEquals(403, renew(site, ticket, planted).statusCode(), "a ticket is good once");

                assertEquals("[\"_rpc\",{\"id\":\"" + renewed.substring(0, 22) + "\",\"data\":{\"user_id\":42}},3]",
                        victim.call("[\"show\",null,3]"), "the caller's this.sess has the new id and the data");
                try (WsClient next = connect(site, renewed); WsClient old = connect(site, planted)) {
                    assertEquals("[\"_rpc\",42,4]", next.call("[\"userId\",null,4]"), "the new cookie has the data");
                    assertEquals("[\"_rpc\",0,5]", old.call("[\"userId\",null,5]"), "the old cookie has none");
                }
            }
        }
    }

    @Test
    void theRenewalRefusesOtherMethodsNonTicketsForeignPagesAndOtherBrowsers() throws Exception {
        try (TestSite site = start(null)) {
            String mine = cookie(site);
            String theirs = cookie(site);
            assertEquals(405, site.get("/_workjs/session").statusCode());
            assertEquals("POST", site.get("/_workjs/session").headers().firstValue("allow").orElseThrow());
            assertEquals(400, renew(site, "not a ticket", mine).statusCode());
            assertEquals(403, renew(site, SessionCookie.newId(), mine).statusCode(), "an unknown ticket");
            try (WsClient ws = connect(site, mine)) {
                String ticket = login(ws, 7, 1);
                HttpResponse<String> foreign = site.post("/_workjs/session", ticket, "Cookie", "workjs_session=" + mine, "Origin", "http://evil.example");
                assertEquals(403, foreign.statusCode(), "a page of another site");
                assertTrue(foreign.headers().firstValue("set-cookie").isEmpty());
                assertEquals(403, renew(site, ticket, theirs).statusCode(), "another browser's session");
                assertEquals(403, renew(site, ticket, mine).statusCode(), "a ticket shown by the wrong browser is spent");

                String next = login(ws, 8, 2);
                assertEquals(403, renew(site, next, null).statusCode(), "a browser without the old cookie");
            }
        }
    }

    @Test
    void aResumableConnectionComesBackAfterRegenerateWithTheOldCookieOrTheNewOneButNotAnothers() throws Exception {
        try (TestSite site = start(null)) {
            String old = cookie(site);
            String others = cookie(site);
            try (ResumeClient client = ResumeClient.connect(site.url(), "/sess", "Cookie", "workjs_session=" + old)) {
                assertEquals("{\"user_id\":5}", reply(client.call("login", "5").get(10, TimeUnit.SECONDS)));
                Matcher m = TICKET.matcher(client.next());
                assertTrue(m.matches());

                client.abandon();   // dropped before the browser took the new cookie
                assertTrue(client.awaitWelcome().resumed(), "the old cookie still resumes it");
                String renewed = SET_COOKIE.matcher(renew(site, m.group(1), old).headers().firstValue("set-cookie").orElseThrow())
                        .replaceFirst("$1");

                client.headers("Cookie", "workjs_session=" + renewed);
                client.abandon();
                assertTrue(client.awaitWelcome().resumed(), "so does the new one");
                assertEquals("{\"id\":\"" + renewed.substring(0, 22) + "\",\"data\":{\"user_id\":5}}",
                        reply(client.call("show", "null").get(10, TimeUnit.SECONDS)));

                client.headers("Cookie", "workjs_session=" + others);
                client.abandon();
                ResumeClient.Welcome refused = client.awaitWelcome();
                assertEquals(false, refused.resumed());
                assertEquals("SESSION_MISMATCH", refused.reason(), "another session's cookie does not");
            }
        }
    }

    /** The result of a reply frame {@code ["_rpc", result, seq]}, as JSON. */
    private static String reply(String frame) {
        return com.google.gson.JsonParser.parseString(frame).getAsJsonArray().get(1).toString();
    }
}
