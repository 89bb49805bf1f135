package io.workjs.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.undertow.Undertow;
import io.workjs.server.support.Await;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StartGateTest {
    private final StartGate gate = new StartGate();
    private Undertow undertow;
    private URI uri;

    @BeforeEach
    void listen() {
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(gate).build();
        undertow.start();
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        uri = URI.create("http://127.0.0.1:" + port + "/page");
    }

    @AfterEach
    void stop() {
        undertow.stop();
    }

    @Test
    void holdsRequestsUntilOpenedThenPassesThemOn() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            CompletableFuture<HttpResponse<String>> early = http.sendAsync(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            Await.until("the request waits at the gate", () -> gate.waiting() == 1);
            assertFalse(early.isDone(), "answered before the gate opened");

            gate.open(exchange -> exchange.getResponseSender().send("served " + exchange.getRequestPath()));

            HttpResponse<String> answer = early.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            assertEquals("served /page", answer.body());
            assertEquals(0, gate.waiting());
            HttpResponse<String> later = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("served /page", later.body());
        }
    }
}
