package io.oasis.endpoint;

import java.net.http.HttpResponse;

import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which platform-http routes Oasis serves from its filter, and that the others still reach their route. */
class EndpointDispatchIT extends OasisIT {

    @Test
    void route_pathWithPlaceholder_servedThroughSpringMvc() {
        HttpResponse<String> answer = get("/test/greet/ada");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("hello ada");
    }

    @Test
    void endpoint_methodItDoesNotTake_answers405ProblemWithAllow() {
        HttpResponse<String> answer = send(request("/api/dashboard?userId=1")
                .method("DELETE", java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).hasValue("GET");
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void endpoint_servedFromFilter_answersWithTraceAndLeavesNothingInFlight() {
        HttpResponse<String> answer = get("/api/dashboard?userId=7");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("_meta").path("endpoint").asText()).isEqualTo("dashboard");
        assertThat(answer.headers().firstValue("Oasis-Trace-Id")).isPresent();
        assertThat(get("/actuator/prometheus").body()).contains("oasis_requests_in_flight 0.0");
    }
}
