package io.oasis.endpoint;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Which platform-http routes Oasis serves from its filter, and that the others still reach their route. */
@ExtendWith(OutputCaptureExtension.class)
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

    @Test
    void endpoint_clientGoneBeforeItsAnswer_freesItsPlaceWithoutWarnings(CapturedOutput output) throws Exception {
        UpstreamStubs.answer("profile", okJson("{}").withFixedDelay(300));
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoLinger(true, 0); // closed with a reset, as a client that gives up does
            OutputStream out = client.getOutputStream();
            out.write("GET /api/dashboard?userId=31 HTTP/1.1\r\nHost: oasis\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().until(() -> UpstreamStubs.maxInFlight() > 0);
        }

        await().until(() -> output.getOut().contains("\"userId\":\"31\""));
        assertThat(get("/actuator/prometheus").body()).contains("oasis_requests_in_flight 0.0");
        // the request log line comes first; what the answer's thread logs after it must not follow either
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(output.getAll()).doesNotContain("AsyncContext")
                        .doesNotContain("Error executing reactive work").doesNotContain("writing the answer failed"));
    }
}
