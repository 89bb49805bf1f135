package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's tutorial, taken from the README itself, works as it says. */
@Timeout(60)
class ReadmeTutorialTest {
    @Test
    void tutorialSiteServesThePageAndTheChatWorks(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Files.writeString(dir.resolve("MAP"), block(readme, "**1. A MAP line**", "```\n"));
        Files.writeString(dir.resolve("chat.html"), block(readme, "**2. A page**", "```html\n"));
        Files.writeString(dir.resolve("chat.ws"), block(readme, "**3. A controller**", "```js\n"));
        try (TestSite site = TestSite.serve(dir)) {
            String page = site.get("/chat/lobby").body();
            assertTrue(page.startsWith("<!doctype html>\n<html><head><script src=\"/_workjs/ws.js\"></script>"), page);
            try (WsClient ann = site.connect("/chat/lobby")) {
                assertEquals("[\"_rpc\",1,1]", ann.call("[\"hello\",{},1]"));
                WsClient bob = site.connect("/chat/lobby");
                assertEquals("[\"_rpc\",2,1]", bob.call("[\"hello\",{},1]"));
                bob.send("[\"say\",\"hi\"]");
                assertTrue(ann.next().matches("\\[\"said\",\\{\"from\":\"[A-Za-z0-9_-]{22}\",\"text\":\"hi\"}]"));
                bob.close();
                assertTrue(ann.next().matches("\\[\"said\",\\{\"text\":\"[A-Za-z0-9_-]{22} left\"}]"));
            }
        }
    }

    private static String block(String text, String heading, String fence) {
        int at = text.indexOf(heading);
        assertTrue(at >= 0, "README has no " + heading);
        Matcher m = Pattern.compile(Pattern.quote(fence) + "(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(at), "README has no " + fence.trim() + " block after " + heading);
        return m.group(1);
    }
}
