package io.oasis.resilience;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's throttle step: more than max-rate requests in a second get 429 from all clients alike. */
@TestPropertySource(properties = "oasis.endpoints.dashboard.max-rate=3")
class EndpointThrottleIT extends OasisIT {

    @Test
    void dashboard_moreThanItsMaxRateInOneSecond_answers429WithItsPolicy() {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(get("/api/dashboard?userId=42"));
        }

        List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(refused).isNotEmpty();
        HttpResponse<String> one = refused.get(0);
        assertThat(json(one).path("type").asText()).isEqualTo("urn:oasis:problem:endpoint-rate-limited");
        assertThat(one.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(one.headers().firstValue("RateLimit-Policy")).hasValue("3;w=1");
        assertThat(responses.stream().filter(r -> r.statusCode() == 200).count()).isLessThanOrEqualTo(3 + 3);
    }
}
