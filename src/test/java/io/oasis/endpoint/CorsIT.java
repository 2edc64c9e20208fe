package io.oasis.endpoint;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static io.oasis.testkit.AnswerAssert.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

/** Browser apps on another origin: preflight, the actual request's headers, and an origin that is not allowed. */
@TestPropertySource(properties = {"oasis.cors.allowed-origins=https://app.example.com", "oasis.cors.max-age=15m"})
class CorsIT extends OasisIT {

    private HttpResponse<String> preflight(String origin) {
        return send(request("/api/dashboard?userId=42").header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization, accept-language")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void preflight_fromAnAllowedOrigin_isAnsweredWithoutReachingTheRoute() {
        HttpResponse<String> answer = preflight("https://app.example.com");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h ->
                assertThat(h.toLowerCase()).contains("authorization").contains("accept-language"));
        assertThat(answer.headers().firstValue("Access-Control-Max-Age")).hasValue("900");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void preflight_fromAnotherOrigin_is403Problem() {
        HttpResponse<String> answer = preflight("https://evil.example.net");

        assertThatAnswer(answer).isProblem(403, "urn:oasis:problem:origin-not-allowed");
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void actualRequest_fromAnAllowedOrigin_mayReadTheDegradationAndTimingHeaders() {
        HttpResponse<String> answer = send(request("/api/dashboard?userId=42")
                .header("Origin", "https://app.example.com").GET().build());

        assertThatAnswer(answer).isOk();
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(answer.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(h ->
                assertThat(h).contains("Oasis-Degraded").contains("Server-Timing").contains("Retry-After"));
    }

    @Test
    void request_withoutAnOrigin_isServedAsAlways() {
        HttpResponse<String> answer = get("/api/dashboard?userId=42");

        assertThatAnswer(answer).isOk();
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
