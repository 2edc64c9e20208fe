package io.oasis.upstream.armour;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.upstream.Failure;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The attempt on the wire, against a real HTTP server on a free port; its deadline on a clock the test moves. */
class HttpSendTest {

    private final ManualCallClock clock = new ManualCallClock();
    private final List<Attempted> ended = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private Upstream upstream;

    @AfterEach
    void stop() {
        release.countDown();
        if (upstream != null) {
            upstream.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private Upstream upstream(String base) {
        upstream = new Upstream("orders", URI.create(base), new UpstreamSettings(null, null, null,
                Duration.ofSeconds(5), List.of("X-Request-Id"), null, null, null, null, null, null, null, null, null)
                .over(UpstreamSettings.BUILT_IN), new SimpleMeterRegistry(), u -> null, null, null);
        return upstream;
    }

    private String serve(boolean hold) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(Map.copyOf(exchange.getRequestHeaders()));
            if (hold) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Fetch fetch(Upstream u, Map<String, String> headers) {
        Fetch fetch = new Fetch(u, "/orders/7", headers::get, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                null, clock.nanoTime(), clock.nanoTime() + Duration.ofSeconds(1).toNanos(), e -> {
                    throw new AssertionError("aborted", e);
                });
        fetch.attemptTimeoutNanos(Duration.ofMillis(200).toNanos());
        return fetch;
    }

    @Test
    void attempt_sendsOnlyAllowListedHeadersAndTheTraceContext_andHandsBackTheAnswer() throws IOException {
        Fetch fetch = fetch(upstream(serve(false)), Map.of("x-request-id", "r-1", "cookie", "secret=1"));

        new HttpSend(clock).run(fetch, null, ended::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> !ended.isEmpty());
        assertThat(ended.get(0).status()).isEqualTo(200);
        assertThat(new String(ended.get(0).answer().body(), 0, ended.get(0).answer().length(), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":1}");
        Map<String, List<String>> headers = received.get(0);
        assertThat(headers.get("X-request-id")).containsExactly("r-1");
        assertThat(headers.get("Traceparent")).containsExactly("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(headers).doesNotContainKey("Cookie");
        assertThat(fetch.attempts()).isEqualTo(1);
    }

    @Test
    void attempt_noAnswerByItsDeadline_endsAsTimedOutWhenTheClockPassesIt() throws IOException {
        Fetch fetch = fetch(upstream(serve(true)), Map.of());

        new HttpSend(clock).run(fetch, null, ended::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
        clock.advanceMillis(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> !ended.isEmpty());
        assertThat(ended.get(0).failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(ended.get(0).reason()).isEqualTo("no answer within 200 ms");
        assertThat(ended.get(0).sent()).isTrue();
    }

    @Test
    void attempt_nothingListening_isAConnectionFailureSaidPlainly() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Fetch fetch = fetch(upstream("http://127.0.0.1:" + closed), Map.of());

        new HttpSend(clock).run(fetch, null, ended::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> !ended.isEmpty());
        assertThat(ended.get(0).failure()).isEqualTo(Failure.CONNECTION);
        assertThat(ended.get(0).reason()).isEqualTo("connection refused");
    }

    @Test
    void attempt_budgetSpentBeforeTheWire_isRefusedUnsent() throws IOException {
        Fetch fetch = fetch(upstream(serve(false)), Map.of());
        clock.advanceMillis(1_000);

        new HttpSend(clock).run(fetch, null, ended::add);

        assertThat(ended).singleElement().satisfies(a -> {
            assertThat(a.failure()).isEqualTo(Failure.TIMEOUT);
            assertThat(a.sent()).isFalse();
        });
        assertThat(received).isEmpty();
    }
}
