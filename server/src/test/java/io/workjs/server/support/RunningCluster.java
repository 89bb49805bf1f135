package io.workjs.server.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster served for all tests of a class: a real Redis, {@code count} nodes of a test site
 * on it, and, when asked, nginx in front of them:
 * {@code @RegisterExtension static final RunningCluster cluster = new RunningCluster("cluster", 3);}
 */
public final class RunningCluster implements BeforeAllCallback, AfterAllCallback {
    private final String site;
    private final int count;
    private final boolean balanced;
    private Path temp;
    private RedisServer redis;
    private Nodes nodes;
    private Nginx nginx;

    public RunningCluster(String site, int count) {
        this(site, count, false);
    }

    private RunningCluster(String site, int count, boolean balanced) {
        this.site = site;
        this.count = count;
        this.balanced = balanced;
    }

    /** The same cluster with nginx in front of its nodes, round robin. */
    public RunningCluster behindNginx() {
        return new RunningCluster(site, count, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        temp = Files.createTempDirectory("workjs-cluster");
        redis = RedisServer.start();
        nodes = new Nodes(site, count, redis, temp);
        if (balanced) {
            List<String> upstreams = new ArrayList<>();
            for (int i = 0; i < count; i++) upstreams.add(nodes.url(i));
            nginx = Nginx.start(upstreams);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (nginx != null) nginx.close();
        if (nodes != null) nodes.close();
        if (redis != null) redis.close();
        try (Stream<Path> files = Files.walk(temp)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    public Nodes nodes() {
        return nodes;
    }

    public RedisServer redis() {
        return redis;
    }

    /** The load balancer; only {@link #behindNginx()}. */
    public Nginx nginx() {
        return nginx;
    }
}
