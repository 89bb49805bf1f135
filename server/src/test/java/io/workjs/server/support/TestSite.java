package io.workjs.server.support;

import io.workjs.server.WorkServer;
import io.workjs.server.config.Limits;
import io.workjs.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A site from src/test/resources/sites copied to a temporary folder and served on port 0. */
public final class TestSite implements AutoCloseable {

    private final WorkServer server;
    private final Path dir;

    private TestSite(Path dir) {
        this(dir, ServerConfig.defaults(dir));
    }

    private TestSite(Path dir, ServerConfig config) {
        this.dir = dir;
        this.server = WorkServer.start(config.withPort(0));
    }

    /** Copies {@code sites/<name>} into {@code tempDir} and starts a server on it with these limits. */
    public static TestSite start(String name, Path tempDir, Limits limits) {
        Path dir = copy(name, tempDir);
        return new TestSite(dir, ServerConfig.defaults(dir).withLimits(limits));
    }

    /** Copies {@code sites/<name>} into {@code tempDir} and starts a server on it, its configuration changed by {@code change}. */
    public static TestSite start(String name, Path tempDir, java.util.function.UnaryOperator<ServerConfig> change) {
        Path dir = copy(name, tempDir);
        return new TestSite(dir, change.apply(ServerConfig.defaults(dir)));
    }

    /** Copies {@code sites/<name>} into {@code tempDir} and starts a server on it. */
    public static TestSite start(String name, Path tempDir) {
        return new TestSite(copy(name, tempDir));
    }

    /** Copies {@code sites/<name>} into {@code tempDir} (to change it before starting). */
    public static Path copy(String name, Path tempDir) {
        try {
            return copyTree(Path.of(TestSite.class.getResource("/sites/" + name).toURI()), tempDir.resolve(name));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the repository's sample-site/ into {@code tempDir} and starts a server on it. */
    public static TestSite startSample(Path tempDir) {
        return new TestSite(copySample(tempDir));
    }

    /**
     * Copies the repository's sample-site/ into {@code tempDir} as git has it: without the data
     * folder that a user's own {@code ./workjs sample-site} leaves in it, so no test depends on
     * what an earlier run left in the checkout.
     */
    public static Path copySample(Path tempDir) {
        // Tests run in the server module's folder.
        Path sample = Path.of("..", "sample-site").toAbsolutePath().normalize();
        Path data = Path.of(ServerConfig.DEFAULT_DATA);
        return copyTree(sample, tempDir.resolve("sample-site"), relative -> relative.startsWith(data));
    }

    /** Copies a file or a folder tree to {@code to}, keeping attributes (a launcher stays executable). */
    public static Path copyTree(Path from, Path to) {
        return copyTree(from, to, relative -> false);
    }

    /** As {@link #copyTree(Path, Path)}, leaving out what {@code skip} says of a path relative to {@code from}. */
    public static Path copyTree(Path from, Path to, java.util.function.Predicate<Path> skip) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (skip.test(from.relativize(f))) continue;
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.toAbsolutePath().getParent());
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on a site folder with its CONF read as the launcher reads it (on port 0). */
    public static TestSite serveWithConf(Path dir) {
        return new TestSite(dir, io.workjs.server.config.ConfigLoader.load(dir, warning -> { }));
    }

    /** Starts a server on a site folder prepared by the test. */
    public static TestSite serve(Path dir) {
        return new TestSite(dir);
    }

    public WorkServer server() {
        return server;
    }

    public Path dir() {
        return dir;
    }

    /** {@code http://127.0.0.1:port}. */
    public String url() {
        return server.url();
    }

    /** Opens a WebSocket to a path of this site. */
    public WsClient connect(String path) {
        return WsClient.connect(url(), path);
    }

    /** A POST of {@code body} (text) to a path of this site. */
    public HttpResponse<String> post(String path, String body, String... headers) {
        return Http.post(url() + path, body, headers);
    }

    /** A GET of a path of this site. */
    public HttpResponse<String> get(String path, String... headers) {
        return Http.get(url() + path, headers);
    }

    /** Sends a request exactly as written (no client-side checks) and returns the whole response. */
    public String raw(String request) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
