package io.oasis;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.oasis.testkit.Http;
import io.oasis.testkit.OasisInstance;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What an orchestrator sees: liveness and readiness probes, and a shutdown that finishes the requests in flight. */
class LifecycleIT {

    private OasisInstance oasis;

    @BeforeEach
    void start() {
        UpstreamStubs.healthy();
        oasis = OasisInstance.start(Map.of("spring.lifecycle.timeout-per-shutdown-phase", "5s"));
    }

    @AfterEach
    void stop() {
        oasis.close();
    }

    @Test
    void probes_afterStartup_sayLiveAndReadyWithoutCredentials() {
        HttpResponse<String> liveness = oasis.get("/actuator/health/liveness");
        HttpResponse<String> readiness = oasis.get("/actuator/health/readiness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(Http.json(liveness).path("status").asText()).isEqualTo("UP");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(Http.json(readiness).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void shutdown_withARequestInFlight_finishesItThenStops() {
        oasis.get("/api/dashboard?userId=1"); // loads classes and opens connections: the timed request is not the first
        UpstreamStubs.healthy();
        UpstreamStubs.answer("orders", UpstreamStubs.delayedJson("[{\"id\":\"o-slow\"}]", 250));
        int port = oasis.port();
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(
                () -> Http.send(Http.request(port, "/api/dashboard?userId=42").GET().build()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !SERVER.findAll(getRequestedFor(urlPathMatching("/orders/.*"))).isEmpty());

        List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
        oasis.context().addApplicationListener((ApplicationListener<AvailabilityChangeEvent<?>>) e -> {
            if (e.getState() instanceof ReadinessState state) {
                readiness.add(state);
            }
        });
        long start = System.nanoTime();
        oasis.close();

        assertThat(inFlight).isDone();
        HttpResponse<String> answer = inFlight.join();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Http.json(answer).at("/orders/0/id").asText()).isEqualTo("o-slow");
        assertThat(Http.json(answer).at("/_meta/parts/orders/status").asText()).isEqualTo("ok");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(readiness).as("the readiness probe refuses once shutdown begins")
                .containsExactly(ReadinessState.REFUSING_TRAFFIC);
    }
}
