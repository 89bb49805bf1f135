package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.support.TestSite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The site's static/ folder: types and caching headers, and everything that must never be served. */
@Timeout(60)
class StaticFilesTest {
    /** StaticFiles.CACHE_SECONDS (package-private in io.workjs.server.http). */
    static final int CACHE_SECONDS = 600;
    /** Text found only in files that must never reach a browser (see sites/http). */
    static final List<String> SECRETS = List.of("secret-map-marker", "secret-ws-marker", "secret-dotfile-marker",
            "secret-static-map-marker", "secret-static-conf-marker", "secret-static-ws-marker", "secret-outside-marker",
            "secret-data-marker");

    @TempDir
    static Path temp;
    static TestSite site;

    @BeforeAll
    static void start() throws IOException {
        site = TestSite.start("http", temp);
        // The data folder (sessions, the generated secret) sits in the site directory by default.
        Path data = Files.createDirectories(site.dir().resolve(".workjs"));
        Files.writeString(data.resolve("secret"), "secret-data-marker\n");
        Files.writeString(site.dir().resolve("CONF"), "{\"origin\": \"http://secret-conf.example\"}\n");
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    @Test
    void cssIsServedAsTextCss() {
        HttpResponse<String> css = site.get("/static/app.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), css.headers().toString());
        assertEquals("body { color: #222; }\n", css.body());
    }

    @Test
    void javaScriptIsServedAsTextJavascript() {
        HttpResponse<String> js = site.get("/static/app.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), js.headers().toString());
        assertEquals("console.log('app');\n", js.body());
    }

    @Test
    void fileInASubfolderIsServed() {
        HttpResponse<String> nested = site.get("/static/sub/nested.txt");
        assertEquals(200, nested.statusCode());
        assertEquals("nested\n", nested.body());
    }

    @Test
    void staticFileMayBeCachedForCacheSecondsAndCarriesAnETagAndLastModified() {
        HttpResponse<String> css = site.get("/static/app.css");
        assertTrue(css.headers().firstValue("Cache-Control").orElse("").contains("max-age=" + CACHE_SECONDS), css.headers().toString());
        assertNotNull(css.headers().firstValue("ETag").orElse(null), css.headers().toString());
        assertNotNull(css.headers().firstValue("Last-Modified").orElse(null), css.headers().toString());
    }

    @Test
    void matchingIfNoneMatchIsAnsweredWith304AndNoBody() {
        String etag = site.get("/static/app.css").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = site.get("/static/app.css", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
    }

    @Test
    void staleIfNoneMatchGetsTheFile() {
        HttpResponse<String> again = site.get("/static/app.css", "If-None-Match", "\"0-0\"");
        assertEquals(200, again.statusCode());
        assertEquals("body { color: #222; }\n", again.body());
    }

    @Test
    void changedFileGetsANewETag() throws IOException {
        Path file = site.dir().resolve("static/changing.txt");
        Files.writeString(file, "one");
        String first = site.get("/static/changing.txt").headers().firstValue("ETag").orElseThrow();
        Files.writeString(file, "longer");
        HttpResponse<String> second = site.get("/static/changing.txt", "If-None-Match", first);
        assertEquals(200, second.statusCode());
        assertEquals("longer", second.body());
        assertNotEquals(first, second.headers().firstValue("ETag").orElse(null));
    }

    @Test
    void byteForByteRequestOfAStaticFileGetsIt() {
        Raw response = raw("/static/sub/nested.txt");
        assertEquals(200, response.status(), "the raw client used below can fetch a file: " + response);
        assertEquals("nested\n", response.body());
    }

    @Test
    void missingStaticFileIsNotFound() {
        assertEquals(404, site.get("/static/nope.css").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/.secret", "/static/hidden.ws", "/static/MAP", "/static/CONF", "/static/sub/../.secret",
        "/static/%2esecret", "/static/hidden%2ews", "/static/./.secret"})
    void filesThatMustStayOnTheServerAreNotFound(String path) {
        Raw response = raw(path);
        assertEquals(404, response.status(), path + " -> " + response);
        assertNoSecret(path, response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/../MAP", "/static/%2e%2e/MAP", "/static/..%2fMAP", "/static/%2e%2e%2fMAP",
        "/static/%2e%2e%2fchat.ws", "/static/sub/../../MAP", "/static/sub/%2e%2e/%2e%2e/chat.ws", "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..\\MAP", "/static/..%5cMAP", "/static/%2e%2e%5cMAP", "/static/sub\\..\\..\\chat.ws", "/static/%2e%2e%5cchat.ws",
        "/static/..%252fMAP", "/static/%c0%ae%c0%ae/MAP", "/static//../MAP", "/static/.%2e/MAP"})
    void pathsThatTryToLeaveTheStaticFolderNeverGetAFile(String path) {
        Raw response = raw(path);
        assertTrue(response.status() >= 400 && response.status() < 500, path + " -> " + response);
        assertNoSecret(path, response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.workjs/secret", "/%2eworkjs/secret", "/static/../.workjs/secret", "/static/%2e%2e/.workjs/secret",
        "/static/%2E%2E/%2Eworkjs/secret", "/static/..%2f.workjs%2fsecret", "/static/..\\.workjs\\secret",
        "/static/%2e%2e%5c.workjs%5csecret", "/static/sub/../../.workjs/secret", "/static/.workjs/secret", "/.workjs/", "/.workjs"})
    void dataFolderIsNotReachableAtAll(String path) {
        Raw response = raw(path);
        assertTrue(response.status() >= 400 && response.status() < 500, path + " -> " + response);
        assertNoSecret(path, response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/MAP", "/CONF", "/chat.ws", "/upper.ws", "/%2e%2e/MAP", "/static/../CONF", "/static/%2e%2e/CONF",
        "/static/%2E%2E%2FCONF", "/static/%2e%2e%5cCONF", "/modules/admin/MAP", "/static/.secret%00.txt", "/static/hidden.ws%00"})
    void siteFilesOutsideStaticAreNeverServed(String path) {
        Raw response = raw(path);
        assertTrue(response.status() >= 400 && response.status() < 500, path + " -> " + response);
        assertNoSecret(path, response);
        assertFalse(response.body().contains("secret-conf.example"), path + " served CONF: " + response);
    }

    @Test
    void linkFromStaticToTheDataFolderIsNotFollowed(@TempDir Path own) throws IOException {
        Path dir = TestSite.copy("http", own);
        try (TestSite linked = TestSite.serve(dir)) {
            // The server made its session secret on start; links to it are added while it runs.
            String secret = Files.readString(dir.resolve(".workjs/secret")).trim();
            Files.createSymbolicLink(dir.resolve("static/data"), Path.of("../.workjs"));
            Files.createSymbolicLink(dir.resolve("static/secret.txt"), Path.of("../.workjs/secret"));
            for (String path : List.of("/static/data/secret", "/static/secret.txt")) {
                HttpResponse<String> response = linked.get(path);
                assertEquals(404, response.statusCode(), path);
                assertFalse(response.body().contains(secret), path + " -> " + response.body());
            }
        }
    }

    @Test
    void staticFolderHasNoListing() {
        for (String path : List.of("/static/", "/static/sub/", "/static/sub")) {
            Raw response = raw(path);
            assertTrue(response.status() == 404 || response.status() == 403, path + " -> " + response);
            assertFalse(response.body().contains("app.css") || response.body().contains("nested.txt"), path + " -> " + response);
        }
    }

    @Test
    void symbolicLinksInsideStaticAreNotFollowed(@TempDir Path own) throws IOException {
        Path dir = TestSite.copy("http", own);
        Path outside = Files.writeString(own.resolve("outside.txt"), "secret-outside-marker\n");
        Path outsideDir = Files.createDirectories(own.resolve("outside-dir"));
        Files.writeString(outsideDir.resolve("inner.txt"), "secret-outside-marker\n");
        Files.createSymbolicLink(dir.resolve("static/link.txt"), outside);
        Files.createSymbolicLink(dir.resolve("static/linkdir"), outsideDir);
        Files.createSymbolicLink(dir.resolve("static/map.txt"), Path.of("../MAP"));
        try (TestSite linked = TestSite.serve(dir)) {
            assertEquals(200, linked.get("/static/app.css").statusCode(), "plain files are still served");
            for (String path : List.of("/static/link.txt", "/static/linkdir/inner.txt", "/static/map.txt")) {
                HttpResponse<String> response = linked.get(path);
                assertEquals(404, response.statusCode(), path);
                for (String secret : SECRETS) assertFalse(response.body().contains(secret), path + " -> " + response.body());
            }
        }
    }

    @Test
    void siteReachedThroughASymbolicLinkStillServesItsStaticFiles(@TempDir Path own) throws IOException {
        Path dir = TestSite.copy("http", own);
        Path link = Files.createSymbolicLink(own.resolve("site-link"), dir);
        try (TestSite linked = TestSite.serve(link)) {
            HttpResponse<String> css = linked.get("/static/app.css");
            assertEquals(200, css.statusCode());
            assertEquals("body { color: #222; }\n", css.body());
        }
    }

    private static void assertNoSecret(String path, Raw response) {
        for (String secret : SECRETS) assertFalse(response.body().contains(secret), path + " served " + secret + ": " + response);
    }

    /** A response to a request line sent byte for byte, so that no client tidies the path first. */
    record Raw(int status, String head, String body) {
        @Override
        public String toString() {
            return status + " " + body.strip();
        }
    }

    private static Raw raw(String target) {
        URI base = URI.create(site.url());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            String[] status = head.split(" ", 3);
            return new Raw(Integer.parseInt(status[1]), head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
