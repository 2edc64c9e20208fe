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

/**
 * Under a servlet context path the endpoints are still served from {@link EndpointDispatch}: the in-flight bound,
 * which only that filter applies, refuses the second of two concurrent requests.
 */
@TestPropertySource(properties = {"server.servlet.context-path=/bff", "oasis.request-limits.max-in-flight=1"})
class EndpointDispatchContextPathIT extends OasisIT {

    @Test
    void endpoint_belowAContextPath_isServedAndBoundedByTheFilter() {
        // served at all (and the request path warm, so that the slow call below stays within its timeout)
        assertThat(get("/bff/api/dashboard?userId=9").statusCode()).isEqualTo(200);
        UpstreamStubs.answer("profile", okJson("{}").withFixedDelay(250));
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> get("/bff/api/dashboard?userId=1"));
        await().until(() -> UpstreamStubs.maxInFlight() > 0);

        HttpResponse<String> second = get("/bff/api/dashboard?userId=2");

        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(json(second).path("type").asText()).isEqualTo("urn:oasis:problem:overloaded");
        assertThat(first.join().statusCode()).isEqualTo(200);
    }
}
