package io.oasis.endpoint;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.oasis.testkit.Http;
import io.oasis.testkit.IssuerIT;
import io.oasis.testkit.OasisInstance;
import io.oasis.testkit.Tokens;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.AnswerAssert.assertThatAnswer;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who the caller is (bearer JWTs checked against a JWKS served by a stub), and what each upstream learns of it:
 * GET /api/me (test-routes/me.camel.yaml) needs a caller; profile is told the subject and segment in headers, cart
 * receives the token, orders nothing.
 */
@TestPropertySource(properties = {
    "oasis.identity.upstreams.profile.headers.X-User-Id=sub",
    "oasis.identity.upstreams.profile.headers.X-User-Segment=segment",
    "oasis.identity.upstreams.cart.relay-token=true",
    "oasis.endpoints.me.caller=required",
    "oasis.endpoints.dashboard.caller=optional",
    // personal and cached: the caller's headers are part of the key
    "oasis.upstreams.profile.cache.ttl=60s",
    "camel.main.routes-include-pattern=" + IssuerIT.ROUTES + ",classpath:identity-routes/*.camel.yaml"})
@ExtendWith(OutputCaptureExtension.class)
class CallersIT extends IssuerIT {

    @BeforeEach
    void keysAndPersonalAnswers() {
        upstreams.all().get("profile").cache().invalidateAll();
        for (String user : List.of("alice", "bob")) {
            SERVER.stubFor(WireMock.get(urlPathEqualTo("/profile/me")).withHeader("X-User-Id", equalTo(user))
                    .willReturn(okJson("{\"user\":\"" + user + "\"}")));
        }
        SERVER.stubFor(WireMock.get(urlPathEqualTo("/cart/me")).willReturn(okJson("{\"items\":[]}")));
        SERVER.stubFor(WireMock.get(urlPathEqualTo("/orders/me")).willReturn(okJson("[]")));
    }

    private HttpResponse<String> me(String token) {
        var request = request("/api/me");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.GET().build());
    }

    private static LoggedRequest only(String path) {
        List<LoggedRequest> requests = SERVER.findAll(getRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).as(path).hasSize(1);
        return requests.get(0);
    }

    private static int upstreamRequests() {
        return SERVER.findAll(getRequestedFor(urlPathMatching("/(profile|cart|orders|tier-recommendations)/.*"))).size();
    }

    @Test
    void validToken_eachUpstreamLearnsOnlyWhatItIsConfiguredFor() {
        String token = Tokens.valid("alice", "gold");

        assertThatAnswer(me(token)).isOk().isComplete();

        LoggedRequest profile = only("/profile/me");
        assertThat(profile.getHeader("X-User-Id")).isEqualTo("alice");
        assertThat(profile.getHeader("X-User-Segment")).isEqualTo("gold");
        assertThat(profile.containsHeader("Authorization")).isFalse();
        LoggedRequest cart = only("/cart/me");
        assertThat(cart.getHeader("Authorization")).isEqualTo("Bearer " + token);
        assertThat(cart.containsHeader("X-User-Id")).isFalse();
        assertThat(only("/tier-recommendations/tiers/gold").containsHeader("X-User-Id")).as("the segment came in the "
                + "path, from the token").isFalse();
        LoggedRequest orders = only("/orders/me");
        assertThat(orders.containsHeader("Authorization")).isFalse();
        assertThat(orders.containsHeader("X-User-Id")).isFalse();
        assertThat(orders.containsHeader("X-User-Segment")).isFalse();
    }

    @Test
    void identityHeaders_sentByTheClientItself_areReplacedByTheTokens() {
        var request = request("/api/me").header("Authorization", "Bearer " + Tokens.valid("alice", "gold"))
                .header("X-User-Id", "bob").header("X-User-Segment", "platinum");

        assertThatAnswer(send(request.GET().build())).isOk();

        assertThat(only("/profile/me").getHeader("X-User-Id")).isEqualTo("alice");
        assertThat(only("/profile/me").getHeader("X-User-Segment")).isEqualTo("gold");
    }

    @Test
    void noToken_onAnEndpointThatNeedsACaller_is401WithABearerChallengeAndCallsNothing() {
        HttpResponse<String> answer = me(null);

        assertThatAnswer(answer).isProblem(401, "urn:oasis:problem:unauthorized");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"oasis\"");
        assertThat(upstreamRequests()).isZero();
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", Tokens.expired("alice"), "expired"),
                Arguments.of("without an expiry", Tokens.withoutExpiry("alice"), "exp"),
                Arguments.of("for another audience", Tokens.forAnotherAudience("alice"), "aud"),
                Arguments.of("from another issuer", Tokens.fromAnotherIssuer("alice"), "iss"),
                Arguments.of("not valid yet", Tokens.notYetValid("alice"), "used before"),
                Arguments.of("signed by another key", Tokens.signedByAnImpostor("alice"), "signature"),
                Arguments.of("alg none", Tokens.unsigned("alice"), "not"),
                Arguments.of("not a JWT", "abc.def", "not"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badToken_is401InvalidTokenWithoutEchoingItAndCallsNothing(String what, String token, String reason) {
        HttpResponse<String> answer = me(token);

        assertThatAnswer(answer).isProblem(401, "urn:oasis:problem:invalid-token");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                assertThat(challenge).startsWith("Bearer realm=\"oasis\", error=\"invalid_token\"")
                        .containsIgnoringCase(reason));
        assertThat(answer.body()).doesNotContain(token);
        assertThat(upstreamRequests()).isZero();
    }

    @Test
    void optionalCaller_withoutToken_isServedAnonymously_butABadTokenIsStill401() {
        assertThatAnswer(get("/api/dashboard?userId=42")).isOk();

        HttpResponse<String> bad = send(request("/api/dashboard?userId=42")
                .header("Authorization", "Bearer " + Tokens.expired("alice")).GET().build());
        assertThatAnswer(bad).isProblem(401, "urn:oasis:problem:invalid-token");
    }

    @Test
    void personalCachedPart_twoUsersAtOnce_neitherEverReceivesTheOthersData() {
        String alice = Tokens.valid("alice", "gold");
        String bob = Tokens.valid("bob", "silver");
        List<Supplier<String[]>> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = i % 2 == 0 ? "alice" : "bob";
            String token = i % 2 == 0 ? alice : bob;
            requests.add(() -> new String[] {user, json(me(token)).path("profile").path("user").asText()});
        }

        List<String[]> answers = concurrently(16, requests);

        assertThat(answers).allSatisfy(a -> assertThat(a[1]).as("profile answered to %s", a[0]).isEqualTo(a[0]));
        // the answers came from the cache, not from 200 calls: the test exercised the shared entries
        assertThat(SERVER.findAll(getRequestedFor(urlPathEqualTo("/profile/me"))).size()).isLessThan(20);
    }

    @Test
    void tokens_afterRequestsCarryingThem_appearInNoLogLineMetricOrProblem(CapturedOutput output) {
        String good = Tokens.valid("alice", "gold");
        String bad = Tokens.signedByAnImpostor("mallory");

        me(good);
        HttpResponse<String> refused = me(bad);

        String metrics = get("/actuator/prometheus").body();
        for (String token : List.of(good, bad)) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertThat(output.getAll()).doesNotContain(signature);
            assertThat(metrics).doesNotContain(signature);
            assertThat(refused.body()).doesNotContain(signature);
        }
        assertThat(metrics).contains("oasis_requests_unauthorized_total{reason=\"invalid\"}");
    }

    @Test
    void issuerKeysUnreachable_is503NotTheCallersFault_andCallsNothing() {
        try (OasisInstance unreachable = OasisInstance.start(Map.of(
                "oasis.identity.jwk-set-uri", "http://127.0.0.1:1/jwks",
                "oasis.endpoints.dashboard.caller", "required"))) {
            HttpResponse<String> answer = Http.send(Http.request(unreachable.port(), "/api/dashboard?userId=42")
                    .header("Authorization", "Bearer " + Tokens.valid("alice", "gold")).GET().build());

            assertThatAnswer(answer).isProblem(503, "urn:oasis:problem:identity-unavailable");
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        }
        assertThat(upstreamRequests()).isZero();
    }

    @Test
    void forgedTokensWithUnknownKeyIds_manyAtOnce_fetchTheKeySetAtMostOnceMore() {
        assertThat(me(Tokens.valid("alice", "gold")).statusCode()).isEqualTo(200);
        int before = SERVER.findAll(getRequestedFor(urlPathEqualTo("/jwks"))).size();

        for (int i = 0; i < 30; i++) {
            assertThatAnswer(me(Tokens.withUnknownKeyId("mallory"))).isProblem(401, "urn:oasis:problem:invalid-token");
        }

        assertThat(SERVER.findAll(getRequestedFor(urlPathEqualTo("/jwks"))).size() - before).isLessThanOrEqualTo(1);
        assertThat(me(Tokens.valid("bob", "silver")).statusCode()).isEqualTo(200);
    }

    @Test
    void identityWithoutIssuerOrAudience_isReportedByCheckAtStartup() {
        try (OasisInstance unbound = OasisInstance.start(Map.of("oasis.identity.jwk-set-uri", Tokens.jwksUrl()))) {
            List<String> rules = unbound.bean(io.oasis.check.CompositionCheck.class).findings().stream()
                    .map(io.oasis.check.Finding::rule).toList();

            assertThat(rules).contains("identity-issuer", "identity-audience");
        }
    }
}
