package io.oasis.endpoint;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Beyond its configured concurrency Oasis sheds requests with 503 at once instead of queueing without bound. */
@TestPropertySource(properties = {
    "spring.task.execution.pool.core-size=1",
    "spring.task.execution.pool.max-size=1",
    "spring.task.execution.pool.queue-capacity=0"})
class OverloadIT extends OasisIT {

    @Test
    void dashboard_requestExecutorFull_answers503ProblemWithRetryAfter() {
        UpstreamStubs.answer("profile", okJson("{}").withFixedDelay(250));
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> get("/api/dashboard?userId=1"));
        await().until(() -> UpstreamStubs.maxInFlight() > 0);

        HttpResponse<String> second = get("/api/dashboard?userId=2");

        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(second).path("type").asText()).isEqualTo("urn:oasis:problem:overloaded");
        assertThat(first.join().statusCode()).isEqualTo(200);
    }
}
