package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replays the transcript in docs/PROTOCOL.md byte for byte, so the document can't drift from the server. */
@Timeout(60)
class WireFormatTest {
    private static final Path PROTOCOL = Path.of("..", "docs", "PROTOCOL.md");

    @Test
    void serverAnswersExactlyAsTheProtocolDocumentSays(@TempDir Path dir) throws Exception {
        String doc = Files.readString(PROTOCOL);
        Files.writeString(dir.resolve("MAP"), "/wire  get  wire  {\"ws\": \"t\"}\n");
        Files.writeString(dir.resolve("wire.ws"), block(doc, "<!-- wire.ws -->\n```js\n"));
        List<String> transcript = block(doc, "```transcript\n").lines().toList();
        assertFalse(transcript.isEmpty());
        try (TestSite site = TestSite.serve(dir); WsClient ws = site.connect("/wire")) {
            for (String line : transcript) {
                String frame = line.substring(2);
                if (line.startsWith("> ")) {
                    ws.send(frame);
                } else if (frame.endsWith("...")) {
                    String got = ws.next();
                    assertTrue(got.startsWith(frame.substring(0, frame.length() - 3)), "expected " + frame + " got " + got);
                } else {
                    assertEquals(frame, ws.next(), "after the frames before " + line);
                }
            }
        }
    }

    private static String block(String doc, String opening) {
        Matcher m = Pattern.compile(Pattern.quote(opening) + "(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "docs/PROTOCOL.md has no block opening with " + opening);
        return m.group(1);
    }
}
