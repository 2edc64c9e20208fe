package io.oasis;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo profile, as the README runs it: simulated upstreams in the same process, faults injectable. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "oasis.demo.services.cart.error-rate=1")
@ActiveProfiles("demo")
class DemoIT {

    private static final int DEMO_PORT = freePort();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void demoPort(DynamicPropertyRegistry registry) {
        registry.add("oasis.demo.port", () -> DEMO_PORT);
    }

    @AfterEach
    void restoreConfiguredFaults() throws Exception {
        send("DELETE", "http://127.0.0.1:" + DEMO_PORT + "/_faults");
    }

    @Test
    void dashboard_demoProfile_composesTheSimulatedServices() throws Exception {
        JsonNode body = JSON.readTree(send("GET", "http://127.0.0.1:" + port + "/api/dashboard?userId=42").body());

        assertThat(body.path("profile").path("userId").asText()).isEqualTo("42");
        assertThat(body.path("orders")).hasSize(5);
        assertThat(body.path("recommendations")).hasSize(4);
        String tier = body.path("loyalty").path("tier").asText();
        assertThat(tier).isIn("bronze", "silver", "gold", "platinum");
        assertThat(body.path("tierRecommendations").get(0).path("tier").asText()).isEqualTo(tier);
        for (String part : List.of("profile", "orders", "recommendations", "loyalty", "tierRecommendations")) {
            // profile and recommendations are cached in the demo: fresh either way
            assertThat(body.path("_meta").path("parts").path(part).path("status").asText()).as(part)
                    .isIn("ok", "cached");
        }
    }

    @Test
    void dashboard_errorRateConfiguredForCart_cartFallsBackToItsDefault() throws Exception {
        HttpResponse<String> response = send("GET", "http://127.0.0.1:" + port + "/api/dashboard?userId=42");

        JsonNode cart = JSON.readTree(response.body()).path("_meta").path("parts").path("cart");
        assertThat(cart.path("status").asText()).isEqualTo("default");
        assertThat(cart.path("reason").asText()).isEqualTo("upstream answered 500");
        assertThat(response.headers().firstValue("Oasis-Degraded")).hasValue("cart");
    }

    @Test
    void dashboard_faultInjectedAtRunTime_takesEffectUntilReset() throws Exception {
        HttpResponse<String> injected = send("POST",
                "http://127.0.0.1:" + DEMO_PORT + "/_faults/orders?error-rate=1&error-status=503");
        assertThat(injected.statusCode()).isEqualTo(200);

        JsonNode faulty = JSON.readTree(send("GET", "http://127.0.0.1:" + port + "/api/dashboard?userId=42").body());
        assertThat(faulty.path("_meta").path("parts").path("orders").path("reason").asText())
                .isEqualTo("upstream answered 503");

        send("DELETE", "http://127.0.0.1:" + DEMO_PORT + "/_faults");
        JsonNode healed = JSON.readTree(send("GET", "http://127.0.0.1:" + port + "/api/dashboard?userId=42").body());
        assertThat(healed.path("_meta").path("parts").path("orders").path("status").asText()).isEqualTo("ok");
    }

    private static HttpResponse<String> send(String method, String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
