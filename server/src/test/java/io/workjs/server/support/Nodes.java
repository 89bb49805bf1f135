package io.workjs.server.support;

import io.workjs.server.WorkServer;
import io.workjs.server.config.Cluster;
import io.workjs.server.config.RedisUrl;
import io.workjs.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Several nodes of one cluster in this JVM, each a real server on port 0 with its own copy of
 * a test site and its own data folder, all on one {@link RedisServer}: what several machines
 * behind a load balancer would run.
 */
public final class Nodes implements AutoCloseable {
    /** The site name that means the repository's sample-site/, not a test site. */
    public static final String SAMPLE = "sample-site";

    private final Path temp;
    private final String site;
    private final RedisServer redis;
    private final UnaryOperator<ServerConfig> change;
    private final List<WorkServer> servers = new ArrayList<>();

    /** Starts {@code count} nodes (named n1, n2, ...) of {@code site}, each configured further by {@code change}. */
    public Nodes(String site, int count, RedisServer redis, Path temp, UnaryOperator<ServerConfig> change) {
        this.temp = temp;
        this.site = site;
        this.redis = redis;
        this.change = change;
        for (int i = 1; i <= count; i++) servers.add(start("n" + i));
    }

    public Nodes(String site, int count, RedisServer redis, Path temp) {
        this(site, count, redis, temp, c -> c);
    }

    private WorkServer start(String name) {
        Path dir = site.equals(SAMPLE) ? TestSite.copySample(temp.resolve(name)) : TestSite.copy(site, temp.resolve(name));
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withData(temp.resolve(name).resolve("data"))
                .withCluster(new Cluster(RedisUrl.parse(redis.url(), "test"), name));
        return WorkServer.start(change.apply(config));
    }

    /** {@code http://127.0.0.1:PORT} of node {@code i}. */
    public String url(int i) {
        return servers.get(i).url();
    }

    /** Node {@code i}, from 0. */
    public WorkServer node(int i) {
        return servers.get(i);
    }

    public int size() {
        return servers.size();
    }

    /** Opens a WebSocket to node {@code i}, with extra headers (name, value, ...). */
    public WsClient connect(int i, String path, String... headers) {
        return WsClient.connect(servers.get(i).url(), path, headers);
    }

    /** The {@code name=value} of the session cookie node {@code i} sets on a page of a session route. */
    public String sessionCookie(int i, String path) {
        HttpResponse<String> page = Http.get(servers.get(i).url() + path);
        String header = page.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no session cookie on " + path));
        return header.substring(0, header.indexOf(';'));
    }

    /** A POST of {@code body} to node {@code i}, with extra headers (name, value, ...). */
    public HttpResponse<String> post(int i, String path, String body, String... headers) {
        return Http.post(servers.get(i).url() + path, body, headers);
    }

    @Override
    public void close() {
        for (WorkServer s : servers) s.stop();
    }
}
