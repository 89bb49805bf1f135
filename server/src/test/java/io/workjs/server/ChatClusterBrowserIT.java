package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.config.DatabaseUrl;
import io.workjs.server.config.Limits;
import io.workjs.server.support.Browser;
import io.workjs.server.support.Nginx;
import io.workjs.server.support.Nodes;
import io.workjs.server.support.Postgres;
import io.workjs.server.support.RedisServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample chat on three nodes, one Redis and PostgreSQL, in real browsers, each person on
 * another node: the room's members, messages, history and the landing page's room list are the
 * same for all, as on one server.
 */
@Timeout(180)
class ChatClusterBrowserIT {
    @TempDir
    static Path temp;
    static RedisServer redis;
    static Postgres postgres;
    static Nodes nodes;
    static Nginx nginx;

    @BeforeAll
    static void start() {
        Browser.requireInstalled();
        redis = RedisServer.start();
        postgres = Postgres.start();
        String db = postgres.createDatabase("chat");
        nodes = new Nodes(Nodes.SAMPLE, 3, redis, temp, c -> c.withDatabase(DatabaseUrl.parse(db, "test"))
                .withLimits(c.limits().with(Limits.RESUME_WINDOW, 2)));
        nginx = Nginx.start(List.of(nodes.node(0).url(), nodes.node(1).url(), nodes.node(2).url()));
    }

    @AfterAll
    static void stop() {
        if (nginx != null) nginx.close();
        if (nodes != null) nodes.close();
        if (postgres != null) postgres.close();
        if (redis != null) redis.close();
    }

    @Test
    void threePeopleOnThreeNodesShareTheRoomItsHistoryAndTheRoomList() {
        try (Browser ann = ChatBrowserIT.join(nodes.url(0), "lobby", "ann");
                Browser bob = ChatBrowserIT.join(nodes.url(1), "lobby", "bob");
                Browser cat = ChatBrowserIT.join(nodes.url(2), "lobby", "cat")) {
            for (Browser b : List.of(ann, bob, cat)) b.await("all three in the member list", ChatBrowserIT.MEMBERS + " === 'ann,bob,cat'");

            ChatBrowserIT.say(ann, "hello from node 1");
            ChatBrowserIT.say(cat, "and from node 3");
            for (Browser b : List.of(ann, bob, cat)) {
                b.await("both messages, the same order everywhere",
                        "document.querySelectorAll('#messages .msg').length === 2");
            }
            String order = (String) ann.eval(ChatBrowserIT.MESSAGES);
            for (Browser b : List.of(bob, cat)) ChatBrowserIT.awaitMessages(b, "everyone", order);

            try (Browser landing = Browser.start()) {
                landing.open(nginx.url() + "/");
                landing.await("the landing page counts all three, whatever their node",
                        "Array.from(document.querySelectorAll('#rooms a')).some(a => a.textContent === '#lobby 3')");
            }
            try (Browser dan = ChatBrowserIT.join(nginx.url(), "lobby", "dan")) {
                ChatBrowserIT.awaitMessages(dan, "a newcomer sees the history, kept in PostgreSQL", order);
                for (Browser b : List.of(ann, bob, cat, dan)) b.await("four members", ChatBrowserIT.MEMBERS + " === 'ann,bob,cat,dan'");
            }
            ann.await("dan left", ChatBrowserIT.MEMBERS + " === 'ann,bob,cat'");
            List<String> errors = ann.console().stream().filter(l -> l.contains("SEVERE") && !l.contains("favicon.ico")).toList();
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }
}
