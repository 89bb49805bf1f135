package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.workjs.server.config.ServerConfig;
import io.workjs.server.support.Browser;
import io.workjs.server.support.TestSite;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/** The sample chat across a server restart: the page shows it is reconnecting and comes back by itself. */
@Timeout(120)
class ChatReconnectBrowserIT {
    static final String STATE = "document.getElementById('state').textContent";

    @Test
    void chatShowsReconnectingWhileTheServerIsDownThenBackOnline(@TempDir Path temp) {
        Browser.requireInstalled();
        TestSite first = TestSite.startSample(temp);
        int port = first.server().port();
        WorkServer second = null;
        try (Browser ann = Browser.start()) {
            ann.open(first.url() + "/chat/lobby");
            ann.await("the nickname dialog", "!document.getElementById('nickdlg').hidden");
            ann.type("#nick", "ann", Keys.ENTER);
            ann.await("online", STATE + " === 'online'");
            ann.js("document.getElementById('text').value = 'before'; document.getElementById('say').requestSubmit();");
            ann.await("her message shown", "document.querySelectorAll('#messages .msg').length === 1");

            first.close();
            ann.await("the page saying it reconnects", STATE + " === 'reconnecting…'");
            assertEquals("state reconnecting", ann.find("#state").getAttribute("class"));

            second = WorkServer.start(ServerConfig.defaults(first.dir()).withPort(port));
            ann.await("the page back online by itself", STATE + " === 'back online'");
            ann.await("ann in the member list again",
                    "Array.from(document.querySelectorAll('#members .nick')).map(e => e.textContent).join() === 'ann'");
            ann.js("document.getElementById('text').value = 'after'; document.getElementById('say').requestSubmit();");
            ann.await("the message after the restart shown", "document.querySelectorAll('#messages .msg').length === 2");
            ann.screenshot(Browser.ARTIFACTS.resolve("chat-back-online.png"));
        } finally {
            if (second != null) second.stop();
        }
    }
}
