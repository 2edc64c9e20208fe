package io.oasis.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oasis.cache.CacheSettings;
import io.oasis.resilience.RetrySettings;
import io.oasis.resilience.RateLimitSettings;
import io.oasis.upstream.UpstreamSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each lint on a small composition built by hand: quiet when the numbers fit, one finding naming the fix when not. */
class LintsTest {

    private static final CheckProperties BOUNDS = new CheckProperties(24, 1.2, true);
    private static final String FILE = "routes/endpoints/shop.camel.yaml";

    private final Map<String, UpstreamSettings> upstreams = new LinkedHashMap<>();
    private final List<CompositionModel.Call> calls = new ArrayList<>();
    private CompositionModel.Endpoint endpoint = new CompositionModel.Endpoint("shop", Duration.ofMillis(490), null,
            null, FILE);

    /** An upstream with the built-in settings but these. */
    private void upstream(String name, Duration timeout, int attempts, Duration latency) {
        UpstreamSettings b = UpstreamSettings.BUILT_IN;
        RetrySettings r = b.retry();
        upstreams.put(name, new UpstreamSettings(null, "http://127.0.0.1:9", b.connectTimeout(), timeout,
                b.forwardHeaders(), b.maxBodySize(), b.maxInFlight(), b.pool(),
                new RetrySettings(attempts, r.baseDelay(), r.maxDelay(), r.budgetRatio(),
                        r.budgetMinPerSecond(), r.budgetWindow()), b.breaker(), b.rateLimit(), b.cache(), null, latency));
    }

    /** Replaces an upstream's rate limit and cache, the rest kept. */
    private void with(String name, RateLimitSettings rateLimit, CacheSettings cache) {
        UpstreamSettings s = upstreams.get(name);
        upstreams.put(name, new UpstreamSettings(s.preset(), s.baseUrl(), s.connectTimeout(), s.responseTimeout(),
                s.forwardHeaders(), s.maxBodySize(), s.maxInFlight(), s.pool(), s.retry(), s.breaker(),
                rateLimit != null ? rateLimit : s.rateLimit(), cache != null ? cache : s.cache(), s.tlsBundle(),
                s.latency()));
    }

    private void call(String part, String upstream, String... dependsOn) {
        calls.add(new CompositionModel.Call("shop", part, upstream, "shop-" + part, List.of(dependsOn), false, FILE));
    }

    private List<Finding> lint() {
        return Lints.run(new CompositionModel(List.of(endpoint), calls, upstreams), BOUNDS);
    }

    @Test
    void composition_whoseNumbersFit_hasNoFinding() {
        upstream("a", Duration.ofMillis(200), 2, Duration.ofMillis(80));
        upstream("b", Duration.ofMillis(100), 2, Duration.ofMillis(30));
        call("a", "a");
        call("b", "b");
        call("c", "b", "b");
        endpoint = new CompositionModel.Endpoint("shop", Duration.ofMillis(490), 1000L, 5000L, FILE);

        assertThat(lint()).isEmpty();
    }

    @Test
    void budget_timeoutLongerThanTheBudget_isReportedOnItsRoute() {
        upstream("a", Duration.ofMillis(600), 1, null);
        call("a", "a");

        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("budget");
            assertThat(f.file()).isEqualTo(FILE);
            assertThat(f.subject()).isEqualTo("route shop-a");
            assertThat(f.problem()).contains("response-timeout 600 ms ends past the 490 ms");
            assertThat(f.fix()).contains("oasis.upstreams.a.response-timeout").contains("oasis.endpoints.shop.budget");
        });
    }

    @Test
    void budget_retriesThatNoFailureLeavesTimeFor_areReportedWithHowManyFit() {
        upstream("a", Duration.ofMillis(100), 20, null);
        call("a", "a");

        // backoffs 20, 40, 80, 160, 200 ms: after the fourth, 300 ms + half of 100 ms still fits 490; the fifth not
        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.problem()).contains("retry.attempts 20").contains("only 4 retries fit");
            assertThat(f.fix()).startsWith("Set oasis.upstreams.a.retry.attempts to 5");
        });
    }

    @Test
    void budget_retryOnlyASlowFailureCannotFit_isNotAFinding() {
        // 2 x 400 ms + 20 ms > 490 ms, but a timeout is never retried, and after a fast failure the retry fits
        upstream("a", Duration.ofMillis(400), 2, null);
        call("a", "a");

        assertThat(lint()).isEmpty();
    }

    @Test
    void budget_chainThatCannotFit_isReportedOnceAtTheCallThatTipsIt() {
        upstream("a", Duration.ofMillis(200), 1, null);
        upstream("b", Duration.ofMillis(200), 1, null);
        upstream("c", Duration.ofMillis(200), 1, null);
        call("first", "a");
        call("second", "b", "first");
        call("third", "c", "second");

        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("route shop-third");
            assertThat(f.problem()).contains("response-timeout 200 ms after 400 ms of the calls it waits for");
        });
    }

    @Test
    void retryAmplification_aboveTheBound_isReportedOnTheEndpoint() {
        upstream("a", Duration.ofMillis(10), 5, null);
        for (int i = 0; i < 5; i++) {
            call("p" + i, "a");
        }

        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("retry-amplification");
            assertThat(f.subject()).isEqualTo("route shop");
            assertThat(f.problem()).contains("25 upstream requests");
        });
    }

    @Test
    void pool_smallerThanTargetRateTimesLatency_isReportedOnItsKey() {
        upstream("a", Duration.ofMillis(200), 1, Duration.ofMillis(100));
        call("x", "a");
        call("y", "a");
        endpoint = new CompositionModel.Endpoint("shop", Duration.ofMillis(490), 1500L, null, FILE);

        // 1500 req/s x 2 calls x 0.1 s x 1.2 = 360 > 256 connections; the bulkhead's 512 holds
        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("pool-size");
            assertThat(f.file()).isNull();
            assertThat(f.subject()).isEqualTo("oasis.upstreams.a.pool.max-connections");
            assertThat(f.fix()).isEqualTo("Set it to 360 or more.");
        });
    }

    @Test
    void pool_withoutADeclaredLatencyOrTarget_isNotChecked() {
        upstream("a", Duration.ofMillis(200), 1, null);
        call("x", "a");
        endpoint = new CompositionModel.Endpoint("shop", Duration.ofMillis(490), 100_000L, null, FILE);

        assertThat(lint()).isEmpty();
    }

    @Test
    void upstreamRateLimit_belowTheEndpointsRateTimesCalls_isReported() {
        upstream("a", Duration.ofMillis(200), 1, null);
        with("a", new RateLimitSettings(100, Duration.ofSeconds(1)), null);
        call("x", "a");
        endpoint = new CompositionModel.Endpoint("shop", Duration.ofMillis(490), null, 300L, FILE);

        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("upstream-rate-limit");
            assertThat(f.subject()).isEqualTo("oasis.upstreams.a.rate-limit.requests");
            assertThat(f.problem()).contains("300 calls/s");
        });
    }

    @Test
    void staleWindow_shorterThanTheBreakersOpenDuration_isReported() {
        upstream("a", Duration.ofMillis(200), 1, null);
        with("a", null, new CacheSettings(Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(2), 100,
                null, null));
        call("x", "a");

        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("stale-window");
            assertThat(f.subject()).isEqualTo("oasis.upstreams.a.cache.stale-if-error");
            assertThat(f.fix()).contains("5000 ms");
        });
    }

    @Test
    void stalePolicy_onAnUpstreamKeepingNoStaleAnswers_isReportedOnTheRoute() {
        upstream("a", Duration.ofMillis(200), 1, null);
        calls.add(new CompositionModel.Call("shop", "x", "a", "shop-x", List.of(), true, FILE));

        assertThat(lint()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("stale-window");
            assertThat(f.subject()).isEqualTo("route shop-x");
        });
    }

    @Test
    void backoff_doublesFromTheBaseDelayUpToTheMaxDelay() {
        upstream("a", Duration.ofMillis(100), 6, null);

        // base 20 ms, max 200 ms (the built-in retry settings)
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToLong(n -> Lints.backoffMillis(upstreams.get("a"), n)))
                .containsExactly(20L, 40L, 80L, 160L, 200L);
    }
}
