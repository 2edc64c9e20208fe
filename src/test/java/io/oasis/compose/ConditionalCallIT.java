package io.oasis.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.Http;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Between calls a route uses Camel's own EIPs: test-routes/vip.camel.yaml calls loyalty inside a choice on the
 * validated parameter, and the answer holds what the message carried, nothing else.
 */
class ConditionalCallIT extends OasisIT {

    @Test
    void choice_conditionHolds_callsThePartAndAnswersIt() {
        JsonNode answer = Http.json(get("/test/vip?userId=7"));

        assertThat(answer.has("loyalty")).isTrue();
        assertThat(answer.path("_meta").path("parts").path("loyalty").path("status").asText()).isEqualTo("ok");
        SERVER.verify(1, getRequestedFor(urlPathEqualTo("/loyalty/users/7")));
    }

    @Test
    void choice_conditionFails_theCallIsNotMadeAndNotInTheAnswer() {
        JsonNode answer = Http.json(get("/test/vip?userId=8"));

        assertThat(answer.path("profile").isObject()).isTrue();
        assertThat(answer.has("loyalty")).isFalse();
        assertThat(answer.path("_meta").path("parts").has("loyalty")).isFalse();
        SERVER.verify(0, getRequestedFor(urlPathEqualTo("/loyalty/users/8")));
    }
}
