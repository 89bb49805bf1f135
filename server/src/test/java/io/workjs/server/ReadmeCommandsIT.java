package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import io.workjs.server.support.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two commands, run in either order in one clone: {@code ./workjs sample-site}
 * leaves a data folder (a session secret, sessions) in the sample site, and the tests that read
 * the checkout (the sample site, the Docker image's layout) must pass anyway; then the site
 * serves again after the tests. The clone is a copy of this working tree with its build output,
 * so nothing is rebuilt; the test command runs there restricted to those tests.
 */
@Timeout(600)
class ReadmeCommandsIT {
    /** The tests that read the checkout's sample site or lay out the image from it. */
    static final String CHECKOUT_TESTS = "SampleSiteTest";
    static final String CHECKOUT_ITS = "DockerImageIT";

    @TempDir
    Path temp;

    @Test
    void runningTheSampleSiteThenTheTestsThenTheSiteAgainAllWorkInOneClone() throws Exception {
        Path clone = cloneOfThisCheckout(temp.resolve("clone"));

        String secret = runSampleSite(clone);
        assertTrue(Files.isRegularFile(clone.resolve("sample-site/.workjs/secret")), "the first command leaves its data folder");

        LauncherIT.Finished tests = LauncherIT.Finished.run(clone, List.of("./mvnw", "-B", "-o", "-q", "verify",
                "-pl", "server", "-am", "-Dexec.skip=true",
                "-Dtest=" + CHECKOUT_TESTS, "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dit.test=" + CHECKOUT_ITS, "-Dfailsafe.failIfNoSpecifiedTests=false"), 480);
        assertEquals(0, tests.exit(), "the test command after ./workjs sample-site:\n" + tests.output());

        assertEquals(secret, runSampleSite(clone), "the site serves again after the tests, with its own secret kept");
    }

    /** Runs {@code ./workjs --port 0 sample-site} in the clone until it answers a call; returns the secret it keeps. */
    private static String runSampleSite(Path clone) throws Exception {
        try (LauncherIT.Launched server = LauncherIT.Launched.start(clone, List.of("./workjs", "--port", "0", "sample-site"))) {
            String url = server.awaitUrl();
            try (WsClient ws = WsClient.connect(url, "/chat/lobby")) {
                String reply = ws.call("[\"hello\",{\"nick\":\"readme\"},1]");
                for (int i = 0; i < 10 && !reply.startsWith("[\"_rpc\""); i++) reply = ws.next();
                assertTrue(reply.startsWith("[\"_rpc\",{") && reply.endsWith(",1]"), reply);
            }
        }
        return Files.readString(clone.resolve("sample-site/.workjs/secret"));
    }

    /**
     * The files git would give a clone of this working tree (tracked, and new ones not ignored),
     * plus the modules' build output, with their times kept so that nothing looks stale.
     */
    private static Path cloneOfThisCheckout(Path clone) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(LauncherIT.ROOT.toFile()).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files in " + LauncherIT.ROOT);
        for (String file : listing.split("\0")) {
            Path from = LauncherIT.ROOT.resolve(file);
            if (file.isEmpty() || !Files.exists(from)) continue;   // deleted in the working tree
            TestSite.copyTree(from, clone.resolve(file));
        }
        for (String module : List.of("client-js", "runtime-js", "server")) {
            TestSite.copyTree(LauncherIT.ROOT.resolve(module + "/target"), clone.resolve(module + "/target"),
                    relative -> relative.startsWith("failsafe-reports") || relative.startsWith("surefire-reports"));
        }
        return clone;
    }
}
