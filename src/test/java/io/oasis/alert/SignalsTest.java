package io.oasis.alert;

import java.time.Duration;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.oasis.observe.EndpointMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Signals read over windows from Oasis' own meters, in the registry the application uses (Prometheus). */
class SignalsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EndpointMetrics endpoints = new EndpointMetrics(registry);
    private final Signals signals = new Signals(registry, 20);
    private final MetricHistory history = new MetricHistory();
    private long now = 1_000_000;

    private void answers(int n, int status, long millis) {
        for (int i = 0; i < n; i++) {
            endpoints.record("dashboard", status, status >= 500 ? "upstream-error" : null, false,
                    Duration.ofMillis(millis).toNanos());
        }
    }

    private void tick(Duration d) {
        now += d.toMillis();
        history.sample(now);
    }

    @Test
    void percentile_ofCumulativeBuckets_interpolatesInsideTheBucketHoldingTheRank() {
        double[] bounds = {100, 200, 300};
        double[] cumulative = {50, 90, 100};

        assertThat(Signals.percentile(bounds, cumulative, 100, 0.5)).isEqualTo(100);
        assertThat(Signals.percentile(bounds, cumulative, 100, 0.7)).isCloseTo(150, within(1e-9));
        assertThat(Signals.percentile(bounds, cumulative, 100, 0.95)).isCloseTo(250, within(1e-9));
        assertThat(Signals.atOrBelow(bounds, cumulative, 150)).isCloseTo(70, within(1e-9));
    }

    @Test
    void latency_overAWindow_countsOnlyTheAnswersInsideIt() {
        Signal p95 = signals.latency("endpoint", "dashboard", 95);
        p95.track(history, Duration.ofMinutes(10));
        tick(Duration.ZERO);
        answers(100, 200, 400);
        tick(Duration.ofMinutes(5));
        answers(100, 200, 50);
        tick(Duration.ofMinutes(5));

        double lastFiveMinutes = p95.value(history, Duration.ofMinutes(5));
        double lastTenMinutes = p95.value(history, Duration.ofMinutes(10));

        assertThat(lastFiveMinutes).isBetween(45.0, 60.0);
        assertThat(lastTenMinutes).isBetween(350.0, 450.0);
    }

    @Test
    void errorRate_belowTheMinimumRequests_isNoSignal_aboveItIsTheShareOf5xx() {
        Signal errors = signals.errorRate("endpoint", "dashboard");
        errors.track(history, Duration.ofMinutes(5));
        tick(Duration.ZERO);
        answers(3, 200, 80);
        answers(1, 502, 80);
        tick(Duration.ofMinutes(1));

        assertThat(errors.value(history, Duration.ofMinutes(1))).isNaN();

        answers(95, 200, 80);
        answers(1, 502, 80);
        tick(Duration.ofMinutes(1));
        assertThat(errors.value(history, Duration.ofMinutes(5))).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void burnRate_ofAvailability_isTheBadShareOverTheBudget() {
        SloObjective availability = new SloObjective("dashboard", SloObjective.Kind.AVAILABILITY, 0.999, null,
                Duration.ofDays(30), signals);
        Signal burn = signals.burnRate(availability);
        burn.track(history, Duration.ofHours(1));
        tick(Duration.ZERO);
        answers(995, 200, 80);
        answers(5, 503, 80);
        tick(Duration.ofMinutes(5));

        assertThat(burn.value(history, Duration.ofMinutes(5))).isCloseTo(5.0, within(1e-6));
        assertThat(availability.budgetRemaining(history)).isCloseTo(-4.0, within(1e-6));
    }

    @Test
    void burnRate_overFewerAnswersThanTheBudgetCanJudge_isNoSignal() {
        SloObjective availability = new SloObjective("dashboard", SloObjective.Kind.AVAILABILITY, 0.999, null,
                Duration.ofDays(30), signals);
        Signal burn = signals.burnRate(availability);
        burn.track(history, Duration.ofHours(1));
        tick(Duration.ZERO);
        answers(99, 200, 80);
        answers(1, 503, 80);
        tick(Duration.ofMinutes(5));

        assertThat(burn.value(history, Duration.ofMinutes(5))).as("1 in 100 against a 0.1 % budget").isNaN();
        assertThat(availability.budgetRemaining(history)).isNaN();
    }

    @Test
    void latencyObjective_countsAnswersOverTheThresholdAsBad() {
        SloObjective p99 = new SloObjective("dashboard", SloObjective.Kind.LATENCY, 0.99, Duration.ofMillis(300),
                Duration.ofDays(30), signals);
        p99.track(history, Duration.ofHours(1));
        tick(Duration.ZERO);
        answers(96, 200, 80);
        answers(4, 200, 400);
        tick(Duration.ofMinutes(1));

        assertThat(p99.badShare(history, Duration.ofMinutes(1))).isCloseTo(0.04, within(1e-9));
        assertThat(p99.name()).isEqualTo("latency-p99");
    }

    @Test
    void history_youngerThanTheWindow_usesWhatItHas() {
        Signal rate = signals.throughput("dashboard");
        rate.track(history, Duration.ofHours(1));
        tick(Duration.ZERO);
        answers(120, 200, 80);
        tick(Duration.ofMinutes(1));

        assertThat(rate.value(history, Duration.ofHours(1))).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void history_longRetention_keepsBoundedSamples_answersTheFullWindow_andShortWindowsExactly() {
        Signal rate = signals.throughput("dashboard");
        rate.track(history, Duration.ofDays(3));
        for (int i = 0; i < 4 * 24 * 240; i++) { // 4 days at 1 req/s, sampled every 15 s
            answers(15, 200, 80);
            tick(Duration.ofSeconds(15));
        }
        answers(600, 200, 80); // a burst in the last 15 s
        tick(Duration.ofSeconds(15));

        // the last 6 h every 15 s (1440), before that one per 3 days / 2000 (about 1700 more)
        assertThat(history.samples("count:endpoint:dashboard")).isBetween(2900, 1441 + MetricHistory.KEPT + 2);
        assertThat(rate.value(history, Duration.ofDays(3))).isCloseTo(1.0, within(0.01));
        // a short window on the same series is exact, not stretched to the thinned spacing
        assertThat(rate.value(history, Duration.ofSeconds(15))).isCloseTo(40.0, within(1e-9));
        assertThat(rate.value(history, Duration.ofMinutes(5))).isCloseTo((19 * 15 + 600) / 300.0, within(1e-9));
    }
}
