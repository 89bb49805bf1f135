package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.server.support.Browser;
import io.workjs.server.support.TcpProxy;
import io.workjs.server.support.TestSite;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * The sample chat across a network cut, in real browsers: bob's connection goes through a TCP
 * proxy that cuts it and, for a while, lets nothing through. Bob comes back as the same member:
 * nobody sees him leave or join, he sees what was said meanwhile, and his page says
 * reconnecting and then back online.
 */
@Timeout(120)
class ChatResumeBrowserIT {
    static final String SYSTEM_LINES = "Array.from(document.querySelectorAll('#messages .system')).map(e => e.textContent).join('\\n')";

    @TempDir
    static Path temp;
    static TestSite site;
    static TcpProxy proxy;

    @BeforeAll
    static void start() {
        Browser.requireInstalled();
        site = TestSite.startSample(temp);
        proxy = TcpProxy.to(site.server().port());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (site != null) site.close();
    }

    static Browser join(String base, String nick) {
        Browser b = Browser.start();
        b.open(base + "/chat/lobby");
        b.await("the nickname dialog", "!document.getElementById('nickdlg').hidden");
        b.type("#nick", nick, Keys.ENTER);
        b.await(nick + " online", "document.getElementById('state').textContent === 'online'");
        return b;
    }

    @Test
    void aMemberCutOffForAWhileComesBackWithoutLeavingAndSeesWhatWasSaid() {
        try (Browser ann = join(site.url(), "ann"); Browser bob = join(proxy.url(), "bob")) {
            ann.await("ann sees bob", ChatBrowserIT.MEMBERS + " === 'ann,bob'");
            ChatBrowserIT.say(ann, "before");
            ChatBrowserIT.awaitMessages(bob, "bob", "ann: before");
            Object annsNotices = ann.eval(SYSTEM_LINES);
            Object bobsNotices = bob.eval(SYSTEM_LINES);

            proxy.refuseNew(true);   // the network is down: the cut socket, and every new one
            proxy.cutAll();
            bob.await("bob's page says it is reconnecting", "document.getElementById('state').textContent === 'reconnecting…'");
            ann.await("ann sees bob away, still a member",
                    "Array.from(document.querySelectorAll('#members li.away .nick')).map(e => e.textContent).join(',') === 'bob'");
            ChatBrowserIT.say(ann, "during");
            ChatBrowserIT.awaitMessages(ann, "ann", "ann: before\nann: during");

            proxy.refuseNew(false);  // the network is back
            bob.await("bob's page says back online", "document.getElementById('state').textContent === 'back online'");
            ChatBrowserIT.awaitMessages(bob, "bob", "ann: before\nann: during");
            ann.await("ann sees bob back", "document.querySelectorAll('#members li.away').length === 0");
            ChatBrowserIT.say(bob, "back");
            ChatBrowserIT.awaitMessages(ann, "ann", "ann: before\nann: during\nbob: back");

            assertEquals("ann,bob", ann.eval(ChatBrowserIT.MEMBERS));
            assertEquals(annsNotices, ann.eval(SYSTEM_LINES), "no leave or join notice on ann's page");
            assertEquals(bobsNotices, bob.eval(SYSTEM_LINES), "nothing new to announce on bob's");
        }
    }
}
