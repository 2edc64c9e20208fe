package io.oasis.upstream.armour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.oasis.resilience.BreakerSettings;
import io.oasis.resilience.RetrySettings;
import io.oasis.upstream.Failure;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamAnswer;
import io.oasis.upstream.UpstreamSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-attempt stages of the armour, each on its own, on a clock the test moves. */
class FetchStagesTest {

    private final ManualCallClock clock = new ManualCallClock();
    private final List<Upstream> made = new ArrayList<>();
    private final List<Attempted> ended = new ArrayList<>();

    @AfterEach
    void close() {
        made.forEach(Upstream::close);
    }

    private Upstream upstream(Integer maxInFlight, RetrySettings retry, BreakerSettings breaker) {
        Upstream u = ManualCallClock.upstream("orders", new UpstreamSettings(null, null, null, Duration.ofMillis(100),
                null, null, maxInFlight, null, retry, breaker, null, null, null, null));
        made.add(u);
        return u;
    }

    private static Attempted status(int code) {
        return new Attempted(Failure.UPSTREAM_STATUS, code, null, "upstream answered " + code, null, null, true);
    }

    @Test
    void attemptDeadline_budgetSpent_refusesWithoutCallingInside() {
        Fetch fetch = ManualCallClock.fetch(upstream(null, null, null), clock, 50);
        clock.advanceMillis(60);
        new AttemptDeadline(clock).run(fetch, (f, d) -> {
            throw new AssertionError("called inside");
        }, ended::add);
        assertThat(ended).singleElement().satisfies(a -> {
            assertThat(a.failure()).isEqualTo(Failure.TIMEOUT);
            assertThat(a.sent()).isFalse();
        });
    }

    @Test
    void attemptDeadline_lessBudgetThanTimeout_givesTheAttemptWhatIsLeft() {
        Fetch fetch = ManualCallClock.fetch(upstream(null, null, null), clock, 40);
        new AttemptDeadline(clock).run(fetch, (f, d) -> d.accept(Attempted.failed(Failure.TIMEOUT, "t")), ended::add);
        assertThat(fetch.attemptTimeoutNanos()).isEqualTo(Duration.ofMillis(40).toNanos());
    }

    @Test
    void retry_502ThenOk_retriesAfterItsBackoffOnTheClock() {
        Upstream u = upstream(null, new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(10), 1.0,
                100, Duration.ofSeconds(10)), null);
        Fetch fetch = ManualCallClock.fetch(u, clock, 1000);
        AtomicInteger calls = new AtomicInteger();
        new Retry(clock).run(fetch, (f, d) -> {
            f.attempted();
            d.accept(calls.incrementAndGet() == 1 ? status(502) : Attempted.failed(null, null));
        }, ended::add);
        assertThat(ended).isEmpty();
        assertThat(clock.pending()).isEqualTo(1);
        clock.advanceMillis(10);
        assertThat(calls).hasValue(2);
        assertThat(ended).singleElement().satisfies(a -> assertThat(a.ok()).isTrue());
    }

    @Test
    void retry_attemptThrowsOnTheTimerThread_abortsThePartOnceAndEndsNothingTwice() {
        Upstream u = upstream(null, new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(10), 1.0,
                100, Duration.ofSeconds(10)), null);
        List<Throwable> aborted = new ArrayList<>();
        Fetch fetch = ManualCallClock.fetch(u, clock, 1000, aborted::add);
        AtomicInteger calls = new AtomicInteger();
        new Retry(clock).run(fetch, (f, d) -> {
            f.attempted();
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("bug in a stage");
            }
            d.accept(status(503));
        }, ended::add);

        clock.advanceMillis(10);

        assertThat(aborted).singleElement().satisfies(e -> assertThat(e).hasMessage("bug in a stage"));
        assertThat(ended).isEmpty();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void retry_404_isNotRetried() {
        Upstream u = upstream(null, new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(10), 1.0,
                100, Duration.ofSeconds(10)), null);
        Fetch fetch = ManualCallClock.fetch(u, clock, 1000);
        new Retry(clock).run(fetch, (f, d) -> {
            f.attempted();
            d.accept(status(404));
        }, ended::add);
        assertThat(ended).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(404));
        assertThat(clock.pending()).isZero();
    }

    @Test
    void retry_tooLittleBudgetLeft_endsWithTheFailure() {
        Upstream u = upstream(null, new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(10), 1.0,
                100, Duration.ofSeconds(10)), null);
        Fetch fetch = ManualCallClock.fetch(u, clock, 100);
        new Retry(clock).run(fetch, (f, d) -> {
            f.attempted();
            clock.advanceMillis(60); // the first attempt took 60 of the 100 ms: 30 left after the backoff < 50
            d.accept(status(503));
        }, ended::add);
        assertThat(ended).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(503));
    }

    @Test
    void breaker_countsConfiguredStatusesOnly() {
        Upstream u = upstream(null, null, new BreakerSettings(50f, 100f, null, 2, Duration.ofSeconds(10),
                Duration.ofSeconds(5), 1, "500-599"));
        CircuitBreaker breaker = u.protection().breaker();
        Breaker stage = new Breaker(clock);
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> d.accept(status(429)), ended::add);
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> d.accept(status(429)), ended::add);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> d.accept(status(503)), ended::add);
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> d.accept(status(503)), ended::add);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> {
            throw new AssertionError("called through an open breaker");
        }, ended::add);
        assertThat(ended.get(4).failure()).isEqualTo(Failure.SHORT_CIRCUITED);
    }

    @Test
    void breaker_attemptNeverSent_givesPermissionBackAndRecordsNothing() {
        Upstream u = upstream(null, null, null);
        new Breaker(clock).run(ManualCallClock.fetch(u, clock, 1000),
                (f, d) -> d.accept(Attempted.refused(Failure.REJECTED, "full")), ended::add);
        assertThat(u.protection().breaker().getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    @Test
    void bulkhead_full_refusesAtOnceAndFreesOnCompletion() {
        Upstream u = upstream(1, null, null);
        Bulkhead stage = new Bulkhead();
        List<java.util.function.Consumer<Attempted>> inFlight = new ArrayList<>();
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> inFlight.add(d), ended::add);
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> inFlight.add(d), ended::add);
        assertThat(ended).singleElement().satisfies(a -> assertThat(a.failure()).isEqualTo(Failure.REJECTED));
        inFlight.get(0).accept(Attempted.failed(null, null));
        stage.run(ManualCallClock.fetch(u, clock, 1000), (f, d) -> inFlight.add(d), ended::add);
        assertThat(inFlight).hasSize(2);
    }

    @Test
    void parseJson_statusAndBody_becomeFailureOrValue() {
        ParseJson parse = new ParseJson(new ObjectMapper());
        byte[] ok = "{\"a\":1}".getBytes();
        assertThat(parse.parse(Attempted.answered(new UpstreamAnswer(200, null, ok, ok.length))).value().get("a")
                .asInt()).isEqualTo(1);
        byte[] bad = "{\"a\":".getBytes();
        assertThat(parse.parse(Attempted.answered(new UpstreamAnswer(200, null, bad, bad.length))).failure())
                .isEqualTo(Failure.MALFORMED);
        assertThat(parse.parse(Attempted.answered(new UpstreamAnswer(503, "2", ok, ok.length))))
                .satisfies(a -> {
                    assertThat(a.failure()).isEqualTo(Failure.UPSTREAM_STATUS);
                    assertThat(a.retryAfter()).isEqualTo("2");
                });
    }

    @Test
    void injectedFault_statusAfterItsDelay_neverCallsInside() {
        Upstream u = upstream(null, null, null);
        Fetch fetch = new Fetch(u, "/x", h -> null, "tp", new io.oasis.resilience.FaultInjection.Fault(
                Duration.ofMillis(30).toNanos(), 500), clock.nanoTime(), clock.nanoTime() + Duration.ofSeconds(1)
                .toNanos(), e -> {
                    throw new AssertionError("aborted", e);
                });
        new InjectedFault(clock).run(fetch, (f, d) -> {
            throw new AssertionError("called inside");
        }, ended::add);
        clock.advanceMillis(29);
        assertThat(ended).isEmpty();
        clock.advanceMillis(1);
        assertThat(ended).singleElement().satisfies(a -> assertThat(a.reason()).isEqualTo("injected fault: 500"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "CONNECTION, 0, true",
        "UPSTREAM_STATUS, 502, true",
        "UPSTREAM_STATUS, 503, true",
        "UPSTREAM_STATUS, 504, true",
        "UPSTREAM_STATUS, 429, true",
        "UPSTREAM_STATUS, 500, false",
        "UPSTREAM_STATUS, 404, false",
        "TIMEOUT, 0, false",
        "MALFORMED, 200, false",
        "REJECTED, 0, false",
        "SHORT_CIRCUITED, 0, false"})
    void retryable_onlyConnectionErrorsAndGatewayStatuses(Failure failure, int status, boolean retryable) {
        assertThat(Retry.retryable(failure, status)).isEqualTo(retryable);
    }
}
