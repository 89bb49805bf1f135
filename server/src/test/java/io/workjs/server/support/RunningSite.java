package io.workjs.server.support;

import io.workjs.server.WorkServer;
import io.workjs.server.config.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test site served for all tests of a class:
 * {@code @RegisterExtension static final RunningSite site = new RunningSite("basic");}
 */
public final class RunningSite implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final Limits limits;
    private Path temp;
    private TestSite site;

    public RunningSite(String name) {
        this(name, Limits.DEFAULTS);
    }

    /** A site served with these limits instead of the defaults. */
    public RunningSite(String name, Limits limits) {
        this.name = name;
        this.limits = limits;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        temp = Files.createTempDirectory("workjs-" + name);
        site = TestSite.start(name, temp, limits);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (site != null) site.close();
        try (Stream<Path> files = Files.walk(temp)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    public WorkServer server() {
        return site.server();
    }

    public String url() {
        return site.url();
    }

    public WsClient connect(String path) {
        return site.connect(path);
    }

    public HttpResponse<String> get(String path, String... headers) {
        return site.get(path, headers);
    }

    public String raw(String request) {
        return site.raw(request);
    }
}
