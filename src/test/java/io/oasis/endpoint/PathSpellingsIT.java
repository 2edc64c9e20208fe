package io.oasis.endpoint;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of an endpoint's path that the container and Spring MVC take for it (percent-escapes,
 * {@code ;parameters}, doubled slashes, dot segments) goes through the same admission: one in-flight bound, one
 * contract, whatever the spelling.
 */
@TestPropertySource(properties = "oasis.request-limits.max-in-flight=2")
class PathSpellingsIT extends OasisIT {

    private static final List<String> SPELLINGS = List.of("/api/dashboard", "/api/%64ashboard", "/api/dashboard;x",
            "/api//dashboard", "/api/./dashboard", "/api/x/../dashboard");

    @ParameterizedTest
    @ValueSource(strings = {"/api/%64ashboard", "/api/dashboard;x", "/api//dashboard", "/api/./dashboard",
        "/api/x/../dashboard"})
    void otherSpelling_ofTheDashboard_isCheckedByItsContract(String path) {
        assertThat(get(path + "?userId=42").statusCode()).isEqualTo(200);
        HttpResponse<String> bad = get(path + "?userId=abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("type").asText()).isEqualTo("urn:oasis:problem:invalid-parameter");
    }

    @Test
    void manySpellingsAtOnce_withASlowUpstream_shareOneInFlightBound() {
        assertThat(get("/api/dashboard?userId=9").statusCode()).isEqualTo(200);
        UpstreamStubs.answer("profile", okJson("{}").withFixedDelay(400));
        List<Supplier<Integer>> requests = IntStream.range(0, 36)
                .<Supplier<Integer>>mapToObj(i -> () -> get(SPELLINGS.get(i % SPELLINGS.size()) + "?userId=" + i)
                        .statusCode()).toList();

        List<Integer> statuses = concurrently(36, requests);

        assertThat(statuses).filteredOn(s -> s != 503).as("admitted, over every spelling together").hasSizeBetween(1, 2);
        assertThat(statuses).filteredOn(s -> s != 503).allMatch(s -> s == 200);
    }
}
