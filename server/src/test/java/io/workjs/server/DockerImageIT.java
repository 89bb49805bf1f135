package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.workjs.server.support.DockerIgnore;
import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * There is no Docker engine here, so this lays out the image's final stage from the Dockerfile
 * itself (its COPY lines, build stage mapped to this repository, the build context filtered by
 * .dockerignore as Docker filters it) in a folder, and runs its ENTRYPOINT and CMD from there:
 * the image's launcher, jars and site, as the image has them.
 */
@Timeout(300)
class DockerImageIT {
    private static final Pattern COPY = Pattern.compile("^COPY (--from=build )?(\\S+) (\\S+)$");

    @Test
    void imageLayoutRunsTheSampleSiteWithTheJitOn(@TempDir Path image) throws Exception {
        List<String> entrypoint = layOut(image);
        assertEquals("workjs", Path.of(entrypoint.get(0)).getFileName().toString(), "the image runs the launcher");
        assertFalse(Files.exists(inImage(image, "/opt/workjs/server/src")), "the image holds no sources to rebuild from");

        try (LauncherIT.Launched server = LauncherIT.Launched.start(onLoopback(entrypoint))) {
            String url = server.awaitUrl();
            assertTrue(server.hasLineEnding("JS: compiled"), "the JIT is on in the image: " + server.output());
            // The site may be mounted read-only: the server's own files go to /data, none into /site.
            assertTrue(Files.isRegularFile(inImage(image, "/data/secret")), "the session secret is kept in /data");
            assertFalse(Files.exists(inImage(image, "/site/.workjs")), "nothing written into the site");
            try (WsClient ws = WsClient.connect(url, "/chat/lobby")) {
                String reply = ws.call("[\"hello\",{\"nick\":\"docker\"},1]");
                for (int i = 0; i < 10 && !reply.startsWith("[\"_rpc\""); i++) reply = ws.next();
                assertTrue(reply.startsWith("[\"_rpc\",{") && reply.contains("\"history\""), reply);
            }
        }
    }

    @Test
    void theBuildContextLeavesOutEveryDataFolderSoNoSecretIsShipped() {
        DockerIgnore context = DockerIgnore.of(LauncherIT.ROOT);
        assertTrue(context.ignores(Path.of("sample-site/.workjs/secret")), "what ./workjs sample-site leaves");
        assertTrue(context.ignores(Path.of("sample-site/.workjs")));
        assertTrue(context.ignores(Path.of("mysite/.workjs/sessions.mv.db")), "any site's");
        assertFalse(context.ignores(Path.of("sample-site/chat.ws")));
        assertFalse(context.ignores(Path.of("server/src/main/java/io/workjs/server/Main.java")));
    }

    @Test
    void launcherWithoutACompilerJarRunsInterpretedAndSaysWhy(@TempDir Path image) throws Exception {
        List<String> entrypoint = layOut(image);
        try (Stream<Path> jars = Files.list(inImage(image, "/opt/workjs/server/target/jvmci"))) {
            Files.delete(jars.filter(j -> j.getFileName().toString().startsWith("word-")).findFirst().orElseThrow());
        }
        try (LauncherIT.Launched server = LauncherIT.Launched.start(onLoopback(entrypoint))) {
            String url = server.awaitUrl();
            assertTrue(server.hasLineEnding("JS: interpreted (the Graal compiler jar word is missing from jvmci/)"), String.join("\n", server.output()));
            assertEquals(200, java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    /** Copies what the Dockerfile's final stage copies into {@code image}; returns ENTRYPOINT + CMD, paths inside it. */
    private static List<String> layOut(Path image) throws Exception {
        List<String> lines = Files.readAllLines(LauncherIT.ROOT.resolve("Dockerfile"));
        DockerIgnore context = DockerIgnore.of(LauncherIT.ROOT);
        int finalStage = lastIndexStartingWith(lines, "FROM ");
        List<String> entrypoint = new ArrayList<>();
        int copies = 0;
        for (String line : lines.subList(finalStage, lines.size())) {
            Matcher copy = COPY.matcher(line.trim());
            if (copy.matches()) {
                boolean fromContext = copy.group(1) == null;
                Path from = fromContext ? LauncherIT.ROOT.resolve(copy.group(2))
                        : LauncherIT.ROOT.resolve(copy.group(2).replaceFirst("^/src/", ""));
                // A COPY from the build context sees only what .dockerignore lets in; the build
                // stage's outputs are its own.
                TestSite.copyTree(from, inImage(image, copy.group(3)),
                        relative -> fromContext && context.ignores(LauncherIT.ROOT.relativize(from.resolve(relative.toString()))));
                copies++;
            } else if (line.startsWith("ENTRYPOINT ") || line.startsWith("CMD ")) {
                JsonParser.parseString(line.substring(line.indexOf(' ') + 1)).getAsJsonArray()
                        .forEach(e -> entrypoint.add(e.getAsString().startsWith("/") ? inImage(image, e.getAsString()).toString() : e.getAsString()));
            }
        }
        assertTrue(copies >= 5, "the final stage copies the launcher, bin, jar, lib, jvmci and the site");
        assertFalse(entrypoint.isEmpty(), "the Dockerfile has an ENTRYPOINT");
        return entrypoint;
    }

    /** Tests listen on loopback only: the last --host and --port win. */
    private static List<String> onLoopback(List<String> command) {
        List<String> local = new ArrayList<>(command);
        local.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
        return local;
    }

    private static Path inImage(Path image, String absolute) {
        return image.resolve(absolute.substring(1));
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith(prefix)) return i;
        throw new AssertionError("the Dockerfile has no " + prefix + "line");
    }
}
