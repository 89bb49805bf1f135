package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/** The sample chat (sample-site/) in real browsers: one Chromium per person. */
@Timeout(120)
class ChatBrowserIT {
    static final Path SCREENSHOT = Browser.ARTIFACTS.resolve("chat-two-members.png");
    /** Nicks in the member list, in the page's (sorted) order. */
    static final String MEMBERS = "Array.from(document.querySelectorAll('#members .nick')).map(e => e.textContent).join(',')";
    /** Every chat message row as "nick: text". */
    static final String MESSAGES = "Array.from(document.querySelectorAll('#messages .msg'))"
            + ".map(r => r.querySelector('.nick').textContent + ': ' + r.querySelector('.text').textContent).join('\\n')";

    @TempDir
    static Path temp;
    static TestSite site;

    /** How long a dropped member stays (away) before it leaves, in seconds: short, for the test. */
    static final int RESUME_WINDOW = 2;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireInstalled();
        Path dir = TestSite.copySample(temp);
        Files.writeString(dir.resolve("CONF"), "{\"resumeWindowSeconds\": " + RESUME_WINDOW + "}");
        site = TestSite.serveWithConf(dir);
    }

    @AfterAll
    static void stop() {
        if (site != null) site.close();
    }

    /** Opens the room in a fresh browser, picks {@code nick} in the dialog and waits until joined. */
    static Browser join(String room, String nick) {
        return join(site, room, nick);
    }

    /** As {@link #join(String, String)}, on the server {@code on}. */
    static Browser join(TestSite on, String room, String nick) {
        return join(on.url(), room, nick);
    }

    /** As {@link #join(String, String)}, on the server at {@code url}. */
    static Browser join(String url, String room, String nick) {
        Browser b = Browser.start();
        try {
            b.open(url + "/chat/" + room);
            // A fresh profile has no saved nick, so the dialog asks for one.
            b.await("the nickname dialog", "!document.getElementById('nickdlg').hidden");
            assertTrue(b.find("#nick").isDisplayed());
            b.type("#nick", nick, Keys.ENTER);
            b.await(nick + " online", "document.getElementById('state').textContent === 'online'");
            assertTrue(b.find("#nickdlg").getAttribute("hidden") != null, "the dialog closed");
            assertEquals("state online", b.find("#state").getAttribute("class"));
            assertEquals(nick, b.find("#me").getText());
            return b;
        } catch (RuntimeException | AssertionError e) {
            b.close();
            throw e;
        }
    }

    static void say(Browser b, String text) {
        b.type("#text", text, Keys.ENTER);
    }

    static void awaitMessages(Browser b, String who, String expected) {
        b.await(who + " shows the messages:\n" + expected, MESSAGES + " === arguments[0]", expected);
    }

    @Test
    void twoPeopleInARoomSeeEachOtherTalkAndSeeTheOtherLeave() throws Exception {
        try (Browser ann = join("lobby", "ann"); Browser bob = join("lobby", "bob")) {
            ann.await("ann sees bob", MEMBERS + " === 'ann,bob'");
            bob.await("bob sees ann", MEMBERS + " === 'ann,bob'");
            assertEquals("2", ann.find("#count").getText());

            say(ann, "hello bob");
            awaitMessages(ann, "ann", "ann: hello bob");
            awaitMessages(bob, "bob", "ann: hello bob");
            say(bob, "hi ann");
            awaitMessages(ann, "ann", "ann: hello bob\nbob: hi ann");
            awaitMessages(bob, "bob", "ann: hello bob\nbob: hi ann");
            assertTimeShown(bob);

            Files.deleteIfExists(SCREENSHOT);
            ann.screenshot(SCREENSHOT);
            assertTrue(Files.size(SCREENSHOT) > 1000, "a real PNG at " + SCREENSHOT);

            bob.close();   // bob's browser is gone without a word: bob is away, then, after the resume window, gone
            ann.await("ann sees bob away", "Array.from(document.querySelectorAll('#members li.away .nick')).map(e => e.textContent).join(',') === 'bob'");
            ann.await("ann sees bob leave", MEMBERS + " === 'ann'");
            ann.await("a line saying bob left",
                    "Array.from(document.querySelectorAll('#messages .system')).some(e => e.textContent === 'bob left')");
            assertEquals("1", ann.find("#count").getText());
            assertEquals("online", ann.find("#state").getText());
        }
    }

    @Test
    void aPersonInAnotherRoomSeesNothingOfIt() {
        try (Browser dan = join("kitchen", "dan"); Browser eve = join("garden", "eve")) {
            say(dan, "only the kitchen hears this");
            awaitMessages(dan, "dan", "dan: only the kitchen hears this");
            // One JS thread runs both rooms: eve's own message is handled after dan's, and
            // her page receives frames in order, so anything leaked would be shown first.
            say(eve, "garden here");
            awaitMessages(eve, "eve", "eve: garden here");
            assertEquals("eve", eve.eval(MEMBERS));
            assertEquals("dan", dan.eval(MEMBERS));
            // Her own arrival is the only notice she gets.
            assertEquals(List.of("eve joined"), eve.texts("#messages .system"));
            assertTrue(!eve.find("#messages").getText().contains("dan"), eve.find("#messages").getText());
        }
    }

    /** The history is in the database (sample-site/db/): a restart of the server keeps it. */
    @Test
    void theHistorySurvivesARestartOfTheServer() {
        Path dir = TestSite.copySample(temp.resolve("restart"));
        try (TestSite first = TestSite.serve(dir); Browser fay = join(first, "attic", "fay")) {
            say(fay, "before the restart");
            awaitMessages(fay, "fay", "fay: before the restart");
        }
        try (TestSite again = TestSite.serve(dir); Browser gus = join(again, "attic", "gus")) {
            awaitMessages(gus, "gus", "fay: before the restart");
        }
    }

    /** Each message row shows a clock time and carries the exact time it was sent. */
    @SuppressWarnings("unchecked")
    static void assertTimeShown(Browser b) {
        List<Map<String, String>> times = (List<Map<String, String>>) b.eval(
                "Array.from(document.querySelectorAll('#messages .msg time')).map(t => ({text: t.textContent, iso: t.dateTime}))");
        assertEquals(2, times.size(), times.toString());
        for (Map<String, String> t : times) {
            assertTrue(t.get("text").matches("\\d{1,2}:\\d{2}( [AP]M)?"), t.toString());
            Duration age = Duration.between(Instant.parse(t.get("iso")), Instant.now());
            assertTrue(!age.isNegative() && age.toSeconds() < 60, "sent just now: " + t);
        }
    }
}
