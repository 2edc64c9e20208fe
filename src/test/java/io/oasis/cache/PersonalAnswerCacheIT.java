package io.oasis.cache;

import java.net.http.HttpResponse;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.oasis.testkit.IssuerIT;
import io.oasis.testkit.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole answer that depends on its caller is never served to another: GET /api/whoami (personal-routes/) needs a
 * caller, calls /users/{caller.sub} and keeps whole answers for 60 s, and no identity header reaches the upstream.
 */
@TestPropertySource(properties = {
    "oasis.endpoints.whoami.caller=required",
    "oasis.endpoints.whoami.cache.ttl=60s",
    "camel.main.routes-include-pattern=" + IssuerIT.ROUTES + ",classpath:personal-routes/*.camel.yaml"})
class PersonalAnswerCacheIT extends IssuerIT {

    @BeforeEach
    void profiles() {
        for (String user : new String[] {"101", "202"}) {
            SERVER.stubFor(WireMock.get(urlPathEqualTo("/profile/users/" + user))
                    .willReturn(okJson("{\"userId\":\"" + user + "\"}")));
        }
    }

    private HttpResponse<String> whoami(String token) {
        return send(request("/api/whoami").header("Authorization", "Bearer " + token).GET().build());
    }

    @Test
    void cachedPersonalAnswer_secondCaller_getsTheirOwnNotTheFirstCallers() {
        HttpResponse<String> first = whoami(Tokens.valid("101", "gold"));
        HttpResponse<String> second = whoami(Tokens.valid("202", "gold"));

        assertThat(json(first).at("/profile/userId").asText()).isEqualTo("101");
        assertThat(json(second).at("/profile/userId").asText()).isEqualTo("202");
        assertThat(second.headers().firstValue("Age")).isEmpty();
    }

    @Test
    void cachedPersonalAnswer_sameCallerWithAFreshToken_isServedFromTheCache() {
        whoami(Tokens.valid("101", "gold"));

        HttpResponse<String> again = whoami(Tokens.valid("101", "gold"));

        assertThat(json(again).at("/profile/userId").asText()).isEqualTo("101");
        assertThat(again.headers().firstValue("Age")).isPresent();
    }
}
