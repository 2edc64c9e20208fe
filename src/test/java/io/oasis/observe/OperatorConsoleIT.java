package io.oasis.observe;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Hawtio and Jolokia for operators: behind credentials, with Camel's routes and Oasis' own operations. */
@TestPropertySource(properties = {"oasis.operator.password=operator-password-0123456789", "spring.jmx.enabled=true",
    // the test JVM holds contexts cached from other test classes; one Oasis per JVM in production
    "spring.jmx.registration-policy=replace_existing"})
class OperatorConsoleIT extends OasisIT {

    @Autowired
    ServletContext servletContext;

    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("operator:operator-password-0123456789".getBytes(StandardCharsets.UTF_8));

    private HttpResponse<String> asOperator(HttpRequest.Builder request) {
        return send(request.header("Authorization", OPERATOR).build());
    }

    @Test
    void everyOperatorSurface_refusesACallerWithoutCredentials() {
        for (String path : List.of("/actuator/hawtio/", "/actuator/jolokia/version", "/admin/overview",
                "/admin/errors", "/admin/dashboard", "/actuator/env")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isIn(401, 302);
            assertThat(response.body()).as(path).doesNotContain("\"value\"");
        }
        HttpResponse<String> wrong = send(request("/actuator/jolokia/version").header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("operator:guess".getBytes(StandardCharsets.UTF_8)))
                .GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void securityFilter_isMappedToOperatorPathsOnly_notToTheEndpointsFrontendsCall() {
        assertThat(servletContext.getFilterRegistration("springSecurityFilterChain").getUrlPatternMappings())
                .containsExactlyInAnyOrder("/admin/*", "/actuator/*", "/login", "/logout", "/default-ui.css");
        assertThat(get("/api/dashboard?userId=42").statusCode()).isEqualTo(200);
    }

    private JsonNode jolokia(String body) {
        HttpResponse<String> response = asOperator(request("/actuator/jolokia").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response);
    }

    private static int callsTo(String upstream) {
        return UpstreamStubs.SERVER.findAll(WireMock.getRequestedFor(WireMock.urlPathMatching("/" + upstream + "/.*")))
                .size();
    }

    @Test
    void upstreamMBean_openBreaker_stopsCallsUntilTheOperatorClosesIt() {
        String orders = "\"mbean\":\"io.oasis:type=Upstream,name=orders\"";
        assertThat(jolokia("{\"type\":\"exec\"," + orders + ",\"operation\":\"openBreaker\"}")
                .path("status").asInt()).isEqualTo(200);
        int before = callsTo("orders");

        HttpResponse<String> whileOpen = get("/api/dashboard?userId=42");

        assertThat(json(whileOpen).at("/_meta/parts/orders/reason").asText())
                .isEqualTo("not called: circuit breaker forced open");
        assertThat(callsTo("orders")).isEqualTo(before);
        assertThat(jolokia("{\"type\":\"read\"," + orders + ",\"attribute\":\"BreakerState\"}")
                .path("value").asText()).isEqualTo("FORCED_OPEN");

        jolokia("{\"type\":\"exec\"," + orders + ",\"operation\":\"closeBreaker\"}");

        assertThat(json(get("/api/dashboard?userId=42")).at("/_meta/parts/orders/status").asText()).isEqualTo("ok");
        assertThat(callsTo("orders")).isEqualTo(before + 1);
    }

    @Test
    void upstreamMBean_setRateLimit_limitsCallsToTheUpstreamUntilLifted() {
        String cart = "\"mbean\":\"io.oasis:type=Upstream,name=cart\"";
        jolokia("{\"type\":\"exec\"," + cart + ",\"operation\":\"setRateLimit\",\"arguments\":[1,\"1h\"]}");
        try {
            assertThat(jolokia("{\"type\":\"read\"," + cart + ",\"attribute\":\"RateLimit\"}").path("value")
                    .asText()).isEqualTo("1 per 1h");
            assertThat(json(get("/api/dashboard?userId=42")).at("/_meta/parts/cart/status").asText()).isEqualTo("ok");

            HttpResponse<String> over = get("/api/dashboard?userId=42");

            assertThat(json(over).at("/_meta/parts/cart/reason").asText())
                    .isEqualTo("not called: the upstream's rate limit is reached");
        } finally {
            jolokia("{\"type\":\"exec\"," + cart + ",\"operation\":\"setRateLimit\",\"arguments\":[0,\"1s\"]}");
        }
        assertThat(json(get("/api/dashboard?userId=42")).at("/_meta/parts/cart/status").asText()).isEqualTo("ok");
    }

    @Test
    void upstreamMBean_setRateLimitWithABadPeriod_refusesWithTheReason() {
        JsonNode refused = jolokia("{\"type\":\"exec\",\"mbean\":\"io.oasis:type=Upstream,name=cart\","
                + "\"operation\":\"setRateLimit\",\"arguments\":[5,\"soon\"]}");

        assertThat(refused.path("status").asInt()).isNotEqualTo(200);
        assertThat(refused.path("error").asText()).contains("'soon' is not a duration");
        assertThat(upstreams.all().get("cart").protection().rateLimit()).isNull();
    }

    @Test
    void hawtio_isServedToTheOperator() {
        HttpResponse<String> hawtio = asOperator(request("/actuator/hawtio/").GET());

        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
    }

    @Test
    void jolokia_dashboardRouteDump_showsEveryCallTheChainAndTheMergeAsNodes() {
        HttpResponse<String> routes = asOperator(request("/actuator/jolokia/search/org.apache.camel:type=routes,*")
                .GET());
        String mbean = null;
        for (com.fasterxml.jackson.databind.JsonNode name : json(routes).path("value")) {
            if (name.asText().endsWith("name=\"dashboard\"")) {
                mbean = name.asText();
            }
        }
        assertThat(mbean).isNotNull();
        HttpResponse<String> dump = asOperator(request("/actuator/jolokia").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"type\":\"exec\",\"mbean\":\"" + mbean.replace("\"", "\\\"")
                        + "\",\"operation\":\"dumpRouteAsXml()\"}")));

        assertThat(dump.statusCode()).isEqualTo(200);
        String xml = json(dump).path("value").asText();
        assertThat(xml).contains("id=\"dashboard.fan-out\"", "id=\"dashboard.loyalty-chain\"",
                "id=\"dashboard.render\"", "aggregationStrategy=\"partsAggregation\"");
        for (String part : new String[] {"profile", "orders", "recommendations", "cart", "loyalty",
                "tierRecommendations"}) {
            assertThat(xml).contains("id=\"dashboard.call-" + part + "\"");
        }
        assertThat(xml).contains("upstream:orders").doesNotContain("direct:");
    }

    @Test
    void jolokia_showsCamelRoutesAndInvokesAnOasisOperation() {
        HttpResponse<String> routes = asOperator(request("/actuator/jolokia/search/org.apache.camel:type=routes,*")
                .GET());
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("name=\\\"dashboard\\\"");

        HttpResponse<String> invoked = asOperator(request("/actuator/jolokia").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"type\":\"exec\",\"mbean\":\"io.oasis:type=Cache\",\"operation\":\"invalidateTag\","
                        + "\"arguments\":[\"user:42\"]}")));

        assertThat(invoked.statusCode()).isEqualTo(200);
        assertThat(json(invoked).path("status").asInt()).isEqualTo(200);
    }
}
