package io.oasis.compose;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.Http;
import io.oasis.testkit.UpstreamStubs;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard route with Camel's own test support (camel-test-spring-junit5): a step woven into the running
 * route (AdviceWith) where a call was, and the
 * exchange followed to its end (NotifyBuilder). A step that throws inside a branch of the fan-out is a failed
 * required part named after its place, with the manifest, not an unexplained 500.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext // the dashboard route is woven for this test only
class DashboardRouteIT {

    @Autowired
    CamelContext camel;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        UpstreamStubs.register(registry);
    }

    @Test
    void dashboard_aStepThrowingInABranch_isAFailedPartNamedAfterItsPlace() throws Exception {
        AdviceWith.adviceWith(camel, "dashboard", route -> route.weaveById("dashboard.call-cart").replace()
                .throwException(new IllegalStateException("a bug in a route step")));
        UpstreamStubs.healthy();
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("dashboard").whenDone(1).create();

        HttpResponse<String> response = Http.send(Http.request(port, "/api/dashboard?userId=42").GET().build());

        assertThat(done.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        JsonNode parts = Http.json(response).path("_meta").path("parts");
        assertThat(parts.path("branch3").path("status").asText()).isEqualTo("failed");
        assertThat(parts.path("branch3").path("reason").asText())
                .isEqualTo("the branch failed: IllegalStateException");
        assertThat(parts.path("orders").path("status").asText()).isEqualTo("ok");
        assertThat(parts.has("cart")).isFalse();
    }
}
