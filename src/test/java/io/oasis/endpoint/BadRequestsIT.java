package io.oasis.endpoint;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input never reaches an upstream and is answered as application/problem+json, without stack traces. */
class BadRequestsIT extends OasisIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/api/dashboard                     | userId is required",
        "/api/dashboard?userId=             | userId is required",
        "/api/dashboard?userId=abc          | userId must match",
        "/api/dashboard?userId=..%2Fadmin   | userId must match",
        "/api/dashboard?userId=1%3Fx%3Dy    | userId must match",
        "/api/dashboard?userId=1234567890123 | userId is longer than 12",
        "/api/dashboard?userId=1&userId=2   | userId is given more than once"})
    void dashboard_badUserId_answers400NamingTheParameter(String path, String detail) {
        HttpResponse<String> response = get(path.trim());

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, 400, "urn:oasis:problem:invalid-parameter");
        assertThat(json(response).path("parameter").asText()).isEqualTo("userId");
        assertThat(json(response).path("detail").asText()).contains(detail.trim());
        SERVER.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unknownPath_answers404Problem() {
        HttpResponse<String> response = get("/api/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertProblem(response, 404, "urn:oasis:problem:not-found");
    }

    @Test
    void dashboard_wrongMethod_answers405ProblemWithAllow() {
        HttpResponse<String> response = send(request("/api/dashboard?userId=1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertProblem(response, 405, "urn:oasis:problem:method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
        SERVER.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void routeFailsUnexpectedly_answers500ProblemWithAnIncidentIdAndNoDetail() {
        HttpResponse<String> response = get("/test/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertProblem(response, 500, "urn:oasis:problem:internal");
        assertThat(json(response).path("incident").asText()).hasSize(36);
        assertThat(response.body()).doesNotContain("secret internal detail").doesNotContain("IllegalState");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).isEqualTo(type);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
    }
}
