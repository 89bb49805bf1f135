package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.runtime.Bound;
import io.workjs.server.config.ConfigLoader;
import io.workjs.server.config.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md lists every CONF key the server reads, and each limit with its real default and range. */
class ConfigurationDocsTest {
    /** A row of the CONF table: key, option, default, meaning. */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z_]+)` \\|[^|]*\\| ([^|]*) \\|(.*)\\|$", Pattern.MULTILINE);

    private static Map<String, String[]> rows() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "CONFIGURATION.md"));
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(docs);
        while (m.find()) rows.put(m.group(1), new String[] {m.group(2).strip(), m.group(3)});
        return rows;
    }

    @Test
    void everyConfKeyTheServerReadsIsDocumentedAndNoOther() throws IOException {
        assertEquals(ConfigLoader.keys(), new TreeSet<>(rows().keySet()));
    }

    @Test
    void everyLimitIsDocumentedWithItsDefaultAndRange() throws IOException {
        Map<String, String[]> rows = rows();
        for (Bound bound : Limits.ALL) {
            String[] row = rows.get(bound.key());
            assertNotNull(row, bound.key() + " is not in docs/CONFIGURATION.md");
            assertTrue(row[0].startsWith("`" + bound.defaultValue() + "`"),
                    bound.key() + ": the default is " + bound.defaultValue() + ", the docs say " + row[0]);
            assertTrue(row[1].contains("Range " + bound.min() + " to " + bound.max() + "."),
                    bound.key() + ": the range is " + bound.min() + " to " + bound.max() + ", the docs say: " + row[1]);
        }
    }
}
