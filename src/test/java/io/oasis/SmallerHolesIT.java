package io.oasis;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The review's smaller holes, each tried as an attacker would: query parameters posing as headers, exception text
 * in answers, a caller forcing every request to be traced, log lines forged through a reason, credentials guessed
 * without end.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"oasis.cache.admin-token=smaller-holes-admin-token",
    "oasis.operator.password=smaller-holes-operator-password", "oasis.operator.max-failed-attempts=3",
    "oasis.tracing.caller-sampled-per-second=3"})
class SmallerHolesIT extends OasisIT {

    @Test
    void queryParameter_namedLikeAForwardedHeader_reachesNoUpstreamAsAHeader() {
        assertThat(get("/api/dashboard?userId=42&accept-language=zz").statusCode()).isEqualTo(200);

        for (LoggedRequest sent : SERVER.findAll(getRequestedFor(urlPathMatching("/(profile|recommendations)/.*")))) {
            assertThat(sent.getHeader("Accept-Language")).isNull();
        }
    }

    @Test
    void partFailingWithAnException_tellsTheClientNoExceptionText() {
        UpstreamStubs.resetting("orders");

        HttpResponse<String> answer = get("/api/dashboard?userId=42");

        String reason = json(answer).at("/_meta/parts/orders/reason").asText();
        assertThat(reason).isEqualTo("connection failed");
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void callerAskingForSamplingOnEveryRequest_getsAtMostTheCapPlusTheRatio() {
        int sampled = 0;
        for (int i = 0; i < 40; i++) {
            String trace = HexFormat.of().formatHex(randomBytes(16));
            send(request("/api/dashboard?userId=" + i).header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                    .GET().build());
            LoggedRequest profile = SERVER.findAll(getRequestedFor(urlPathMatching("/profile/users/" + i))).get(0);
            if (profile.getHeader("traceparent").endsWith("-01")) {
                sampled++;
            }
        }

        // 3 a second honoured (a few seconds pass), the rest at 10 %: far from the 40 a caller asked for
        assertThat(sampled).isLessThan(25);
    }

    @Test
    void invalidationReason_withLineBreaks_isLoggedOnOneLine(CapturedOutput output) {
        HttpResponse<String> answer = send(request("/admin/cache/invalidate").header("Content-Type", "application/json")
                .header("Authorization", "Bearer smaller-holes-admin-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"user:1\",\"reason\":\"price\\n"
                        + "2026-12-04T00:00:00Z  INFO 1 --- [oasis] forged line\"}")).build());

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(output.getOut()).contains("(price\\n2026-12-04T00:00:00Z  INFO 1 --- [oasis] forged line)");
        assertThat(output.getOut().lines()).noneMatch(l -> l.startsWith("2026-12-04T00:00:00Z  INFO 1 --- [oasis] forged"));
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.oasis.admin.FailedAttempts attempts;

    /** Every test's requests come from 127.0.0.1: one locked out is every test locked out. */
    @org.junit.jupiter.api.AfterEach
    void unlock() {
        attempts.forgetAll();
    }

    @Test
    void operatorPassword_guessedPastTheLimit_isRefusedEvenWhenRight() {
        String right = basic("smaller-holes-operator-password");
        for (int i = 0; i < 3; i++) {
            assertThat(overview(basic("guess-" + i)).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> locked = overview(right);

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(locked).path("type").asText()).isEqualTo("urn:oasis:problem:too-many-failed-attempts");
    }

    @Test
    void adminToken_guessedPastTheLimit_isRefusedEvenWhenRight() {
        for (int i = 0; i < 3; i++) {
            assertThat(invalidate("Bearer guess-" + i).statusCode()).isEqualTo(401);
        }

        assertThat(invalidate("Bearer smaller-holes-admin-token").statusCode()).isEqualTo(429);
    }

    private HttpResponse<String> invalidate(String authorization) {
        return send(request("/admin/cache/invalidate").header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"user:1\"}")).build());
    }

    private HttpResponse<String> overview(String authorization) {
        return send(request("/admin/overview").header("Authorization", authorization).GET().build());
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        bytes[0] |= 1;
        return bytes;
    }
}
