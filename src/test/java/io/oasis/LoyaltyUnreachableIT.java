package io.oasis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.Http;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loyalty's port has no server at all: the connection is refused and the chain stops there.
 * Not an OasisIT: its upstream settings would replace the closed port set here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LoyaltyUnreachableIT {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void loyaltyOnAClosedPort(DynamicPropertyRegistry registry) {
        UpstreamStubs.register(registry);
        registry.add("oasis.upstreams.loyalty.base-url", () -> "http://127.0.0.1:" + closedPort() + "/loyalty");
    }

    @BeforeEach
    void healthyUpstreams() {
        UpstreamStubs.healthy();
    }

    @Test
    void dashboard_loyaltyConnectionRefused_tierRecommendationsNotAttempted() {
        HttpResponse<String> response = Http.send(Http.request(port, "/api/dashboard?userId=42").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode parts = Http.json(response).path("_meta").path("parts");
        assertThat(parts.path("loyalty").path("status").asText()).isEqualTo("default");
        assertThat(parts.path("loyalty").path("reason").asText()).isEqualTo("connection refused");
        assertThat(parts.path("tierRecommendations").path("status").asText()).isEqualTo("skipped");
        SERVER.verify(0, getRequestedFor(urlPathMatching("/tier-recommendations/.*")));
        assertThat(response.headers().firstValue("Oasis-Degraded")).hasValue("loyalty, tierRecommendations");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
