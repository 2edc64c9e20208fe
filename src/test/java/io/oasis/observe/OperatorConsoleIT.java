package io.oasis.observe;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.oasis.support.OasisIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Hawtio and Jolokia for operators: behind credentials, with Camel's routes and Oasis' own operations. */
@TestPropertySource(properties = {"oasis.operator.password=operator-password-0123456789", "spring.jmx.enabled=true",
    // the test JVM holds contexts cached from other test classes; one Oasis per JVM in production
    "spring.jmx.registration-policy=replace_existing"})
class OperatorConsoleIT extends OasisIT {

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
    void hawtio_isServedToTheOperator() {
        HttpResponse<String> hawtio = asOperator(request("/actuator/hawtio/").GET());

        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
    }

    @Test
    void jolokia_showsCamelRoutesAndInvokesAnOasisOperation() {
        HttpResponse<String> routes = asOperator(request("/actuator/jolokia/search/org.apache.camel:type=routes,*")
                .GET());
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("name=\\\"dashboard\\\"").contains("dashboard-orders");

        HttpResponse<String> invoked = asOperator(request("/actuator/jolokia").header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"type\":\"exec\",\"mbean\":\"io.oasis:type=Cache\",\"operation\":\"invalidateTag\","
                        + "\"arguments\":[\"user:42\"]}")));

        assertThat(invoked.statusCode()).isEqualTo(200);
        assertThat(json(invoked).path("status").asInt()).isEqualTo(200);
    }
}
