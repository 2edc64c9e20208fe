package io.oasis.compose;

import java.net.http.HttpResponse;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.oasis.testkit.InventoryDatabase;
import io.oasis.testkit.IssuerIT;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A part from a non-HTTP Camel endpoint: backend-routes/stock.camel.yaml reads stock levels with sql: from a real
 * (embedded H2) database beside an HTTP call, behind Camel's circuit-breaker EIP on the inventory upstream's own
 * breaker, and part: makes the part with the same policy, manifest entry and metrics as an upstream: call.
 */
@TestPropertySource(properties = {
        "camel.main.routes-include-pattern=" + IssuerIT.ROUTES + ",classpath:backend-routes/*.camel.yaml",
        "oasis.endpoints.stock.parameters.userId.pattern=[0-9]{1,12}",
        // reached through Camel endpoints only: no base-url
        "oasis.upstreams.inventory.breaker.minimum-calls=4",
        "oasis.upstreams.inventory.breaker.failure-rate-threshold=50"})
class NonHttpPartIT extends OasisIT {

    @TestConfiguration
    static class Database {

        @Bean
        DataSource inventoryDb() {
            return InventoryDatabase.create();
        }
    }

    @AfterEach
    void healthyDatabase() {
        InventoryDatabase.healthy();
    }

    private JsonNode stock(String userId) {
        HttpResponse<String> response = get("/test/stock?userId=" + userId);
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    @Test
    void sqlPart_healthy_answersTheRowsAsJsonBesideTheHttpPart() {
        JsonNode answer = stock("42");

        assertThat(answer.path("stock").toString())
                .isEqualTo("[{\"SKU\":\"sku-1\",\"QUANTITY\":3},{\"SKU\":\"sku-2\",\"QUANTITY\":0}]");
        assertThat(answer.path("profile").path("userId").asText()).isEqualTo("42");
        assertThat(answer.path("_meta").path("parts").path("stock").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void sqlPart_databaseFails_takesItsDefaultAndTheAnswerSaysSo() {
        InventoryDatabase.failing = true;

        HttpResponse<String> response = get("/test/stock?userId=42");

        JsonNode answer = json(response);
        assertThat(answer.path("stock").isArray()).isTrue();
        assertThat(answer.path("stock")).isEmpty();
        JsonNode manifest = answer.path("_meta").path("parts").path("stock");
        assertThat(manifest.path("status").asText()).isEqualTo("default");
        assertThat(manifest.path("reason").asText()).startsWith("backend failed: ");
        assertThat(response.headers().firstValue("Oasis-Degraded")).hasValue("stock");
    }

    @Test
    void sqlPart_slowerThanItsTimeout_takesItsDefaultOnTime() {
        InventoryDatabase.delayMillis = 1_000;

        HttpResponse<String> response = get("/test/stock?userId=42");

        JsonNode manifest = json(response).path("_meta").path("parts").path("stock");
        assertThat(manifest.path("status").asText()).isEqualTo("default");
        assertThat(manifest.path("reason").asText()).isEqualTo("no answer within the circuit breaker's timeout");
        assertThat(json(response).path("_meta").path("ms").asDouble()).isLessThan(900);
    }

    @Test
    void sqlPart_blockingItsThread_leavesTheHttpCallBesideItInParallel() {
        // the query holds its answer until the profile upstream has been called: serialized, it would wait in vain
        InventoryDatabase.holdUntil = () -> !SERVER.findAll(getRequestedFor(urlPathEqualTo("/profile/users/42")))
                .isEmpty();

        JsonNode answer = stock("42");

        assertThat(InventoryDatabase.held).isTrue();
        assertThat(answer.path("_meta").path("parts").path("stock").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void circuitBreakerEip_usesTheUpstreamsOwnBreaker_opensOnFailuresAndShortCircuits() {
        CircuitBreaker breaker = upstreams.get("inventory", "test").protection().breaker();
        InventoryDatabase.failing = true;
        for (int i = 0; i < 4; i++) {
            stock("42");
        }

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        InventoryDatabase.healthy();
        JsonNode manifest = stock("42").path("_meta").path("parts").path("stock");
        assertThat(manifest.path("reason").asText()).isEqualTo("not called: circuit breaker open");
    }

    @Test
    void sqlPart_healthyUnderConcurrentLoad_noFallbacks() {
        List<HttpResponse<String>> answers = concurrently(8, 400, () -> get("/test/stock?userId=7"));

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).path("_meta").path("parts").path("stock").path("status").asText()).isEqualTo("ok");
        });
        assertThat(upstreams.get("inventory", "test").protection().breaker().getMetrics().getNumberOfFailedCalls())
                .isZero();
    }
}
