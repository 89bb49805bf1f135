package io.workjs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.workjs.server.LauncherIT.Launched;
import io.workjs.server.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A session set just before the server is killed with SIGKILL is there when it starts again. */
@Timeout(300)
class SessionKillIT {
    @TempDir
    Path temp;

    @Test
    void sessionDataSetRightBeforeAKillDashNineIsThereAfterARestart() throws Exception {
        Path site = copy(Path.of(SessionKillIT.class.getResource("/sites/sessions").toURI()), temp.resolve("sessions"));
        String cookie;
        try (Launched first = Launched.start(List.of("./workjs", "--port", "0", site.toString()))) {
            String url = first.awaitUrl();
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/sess")).build(),
                    HttpResponse.BodyHandlers.ofString());
            cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            try (WsClient ws = WsClient.connect(url, "/sess", "Cookie", cookie)) {
                assertEquals("[\"_rpc\",{\"user_id\":0,\"cart\":[\"tea\"]},1]", ws.call("[\"put\",{\"key\":\"cart\",\"value\":[\"tea\"]},1]"));
                first.kill();   // SIGKILL right after the reply: no shutdown hook, no close of the store
            }
        }
        try (Launched second = Launched.start(List.of("./workjs", "--port", "0", site.toString()))) {
            String url = second.awaitUrl();
            try (WsClient ws = WsClient.connect(url, "/sess", "Cookie", cookie)) {
                assertEquals("[\"_rpc\",[\"tea\"],2]", ws.call("[\"read\",\"cart\",2]"));
            }
        }
        assertTrue(Files.isRegularFile(site.resolve(".workjs/sessions.mv.db")));
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }
}
