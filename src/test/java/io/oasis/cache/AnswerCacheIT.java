package io.oasis.cache;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.oasis.testkit.ManualClock;
import io.oasis.testkit.ManualClockConfiguration;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static io.oasis.testkit.UpstreamStubs.answer;
import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's whole answers cached for 5 s: served as written, without calling anything. */
@TestPropertySource(properties = "oasis.endpoints.dashboard.cache.ttl=5s")
@Import(ManualClockConfiguration.class)
class AnswerCacheIT extends OasisIT {

    @Autowired
    ManualClock clock;

    @Autowired
    CacheInvalidation invalidation;

    private int upstreamCalls() {
        return SERVER.findAll(anyRequestedFor(anyUrl())).size();
    }

    @Test
    void sameRequestWithinTtl_isAnsweredAsWrittenWithAnAgeAndNoCall() {
        HttpResponse<String> first = get("/api/dashboard?userId=501");
        int calls = upstreamCalls();
        clock.advance(Duration.ofSeconds(3));

        HttpResponse<String> second = get("/api/dashboard?userId=501");

        assertThat(upstreamCalls()).isEqualTo(calls);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Age")).hasValue("3");
        assertThat(second.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get("/api/dashboard?userId=502").statusCode()).isEqualTo(200);
        assertThat(upstreamCalls()).isEqualTo(calls * 2);
    }

    @Test
    void pastTheTtl_orAfterAnInvalidation_callsAgain() {
        get("/api/dashboard?userId=503");
        int calls = upstreamCalls();

        clock.advance(Duration.ofSeconds(6));
        get("/api/dashboard?userId=503");
        assertThat(upstreamCalls()).isEqualTo(calls * 2);

        invalidation.invalidate(new CacheInvalidation.Request(CacheInvalidation.Scope.TAG, "anything"), "test", "t");
        get("/api/dashboard?userId=503");
        assertThat(upstreamCalls()).isEqualTo(calls * 3);
    }

    @Test
    void degradedAnswer_isNotKept() {
        answer("orders", aResponse().withStatus(500));
        get("/api/dashboard?userId=504");
        int calls = upstreamCalls();

        get("/api/dashboard?userId=504");

        assertThat(upstreamCalls()).isEqualTo(calls * 2);
    }
}
