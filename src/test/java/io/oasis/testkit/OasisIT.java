package io.oasis.testkit;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.upstream.Upstreams;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port, its upstreams played by {@link UpstreamStubs}, all healthy to begin,
 * with its Prometheus metrics (Spring Boot leaves them out of tests unless asked).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false)
public abstract class OasisIT {

    private static volatile boolean warm;

    @LocalServerPort
    protected int port;

    @Autowired
    protected Upstreams upstreams;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        UpstreamStubs.register(registry);
    }

    /**
     * Every test starts with healthy stubs and closed circuit breakers. The first request after startup loads
     * classes and opens connections; tests that time answers skip it.
     */
    @BeforeEach
    void healthyUpstreams() {
        UpstreamStubs.healthy();
        upstreams.all().values().forEach(u -> u.protection().breaker().reset());
        if (!warm) {
            get("/api/dashboard?userId=1");
            UpstreamStubs.healthy();
            warm = true;
        }
    }

    protected HttpRequest.Builder request(String pathAndQuery) {
        return Http.request(port, pathAndQuery);
    }

    protected HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        return Http.send(request);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return Http.json(response);
    }

    /** Sends {@code requests.size()} requests from {@code clients} threads at once; the answers, in order. */
    protected static <T> List<T> concurrently(int clients, List<Supplier<T>> requests) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<T>> answers = requests.stream()
                    .map(r -> CompletableFuture.supplyAsync(r, pool)).toList();
            return answers.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The same request {@code times} times, from {@code clients} threads at once. */
    protected <T> List<T> concurrently(int clients, int times, Supplier<T> request) {
        return concurrently(clients, java.util.Collections.nCopies(times, request));
    }
}
