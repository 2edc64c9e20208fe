package io.oasis.resilience;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;

import javax.management.ObjectName;

import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-client rate limit, keyed by API key, or by address through a trusted proxy's X-Forwarded-For. */
@TestPropertySource(properties = {
    "oasis.client-limit.requests=3",
    "oasis.client-limit.per=1h",
    "oasis.client-limit.key=header:X-Api-Key",
    "oasis.client-limit.trusted-proxies=127.0.0.1",
    "spring.jmx.enabled=true",
    // the test JVM holds contexts cached from other test classes; one Oasis per JVM in production
    "spring.jmx.registration-policy=replace_existing"})
class ClientLimitIT extends OasisIT {

    private HttpResponse<String> dashboardAs(String header, String value) {
        return send(request("/api/dashboard?userId=42").header(header, value).GET().build());
    }

    @Test
    void clientOverItsLimit_gets429WithRetryAfterAndRateLimitHeaders_othersDoNot() {
        for (int i = 0; i < 3; i++) {
            assertThat(dashboardAs("X-Api-Key", "team-a").statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = dashboardAs("X-Api-Key", "team-a");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(refused).path("type").asText()).isEqualTo("urn:oasis:problem:rate-limited");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("limit=3, remaining=0, reset="));
        assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("3;w=3600");
        assertThat(dashboardAs("X-Api-Key", "team-b").statusCode()).isEqualTo(200);
    }

    @Test
    void clientBehindATrustedProxy_isKeyedByTheAddressItForwardedFor() {
        for (int i = 0; i < 3; i++) {
            assertThat(dashboardAs("X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
        }

        assertThat(dashboardAs("X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(429);
        assertThat(dashboardAs("X-Forwarded-For", "198.51.100.2").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").body())
                .containsPattern("oasis_requests_rate_limited_total\\{limit=\"client\"\\} [1-9]");
    }

    @Test
    void clientLimitMBean_forgetClient_givesThatClientAFullAllowanceAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            dashboardAs("X-Api-Key", "team-c");
        }
        assertThat(dashboardAs("X-Api-Key", "team-c").statusCode()).isEqualTo(429);

        Object known = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("io.oasis:type=ClientLimit"),
                "forgetClient", new Object[] {"team-c"}, new String[] {String.class.getName()});

        assertThat(known).isEqualTo(true);
        assertThat(dashboardAs("X-Api-Key", "team-c").statusCode()).isEqualTo(200);
    }
}
