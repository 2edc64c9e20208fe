package io.oasis.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An alert's life on an injected clock: pending, firing after its for, repeated, resolved, silenced. */
class AlertEvaluatorTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A signal whose value the test sets. */
    static final class Knob implements Signal {
        double value = Double.NaN;

        @Override
        public void track(MetricHistory history, Duration retention) {
        }

        @Override
        public double value(MetricHistory history, Duration window) {
            return value;
        }

        @Override
        public String describe() {
            return "p95 latency of endpoint dashboard";
        }

        @Override
        public String unit() {
            return "ms";
        }

        @Override
        public String promql(Duration window) {
            return "x";
        }

        @Override
        public Map<String, String> subject() {
            return Map.of("endpoint", "dashboard");
        }
    }

    private final TestClock clock = new TestClock();
    private final Knob latency = new Knob();
    private final Silences silences = new Silences(clock);
    private final AlertEvaluator evaluator = new AlertEvaluator(List.of(new AlertRule("dashboard-latency-p95",
            List.of(new AlertRule.Condition(latency, Duration.ofMinutes(5), true, 200)), Duration.ofMinutes(5),
            "page", Map.of("endpoint", "dashboard", "severity", "page"), List.of("oncall"), "endpoint-latency", null)),
            new MetricHistory(), silences, clock, Duration.ofHours(1), "http://oasis/admin/dashboard",
            "http://docs/runbook.md");

    private List<Notification> after(Duration d) {
        clock.advance(d);
        return evaluator.evaluate();
    }

    private AlertEvaluator.Phase phase() {
        return evaluator.status().get(0).phase();
    }

    @Test
    void alert_conditionHoldsShorterThanFor_staysPendingAndSendsNothing() {
        latency.value = 250;

        assertThat(after(Duration.ZERO)).isEmpty();
        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.PENDING);
        assertThat(after(Duration.ofMinutes(4))).isEmpty();
        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.PENDING);
    }

    @Test
    void alert_conditionHoldsForItsFor_firesOnceWithValueThresholdAndLinks() {
        latency.value = 250;
        after(Duration.ZERO);

        List<Notification> sent = after(Duration.ofMinutes(5));

        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.FIRING);
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo("firing");
            assertThat(n.repeat()).isFalse();
            assertThat(n.condition()).isEqualTo("p95 latency of endpoint dashboard over 5m above 200 ms");
            assertThat(n.shownValue()).isEqualTo("250 ms");
            assertThat(n.since()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
            assertThat(n.runbookUrl()).isEqualTo("http://docs/runbook.md#endpoint-latency");
            assertThat(n.dashboardUrl()).isEqualTo("http://oasis/admin/dashboard");
            assertThat(n.dedupKey()).isEqualTo("oasis/dashboard-latency-p95");
            assertThat(n.channels()).containsExactly("oncall");
        });
        // evaluated again and again while firing: deduplicated until the repeat interval
        assertThat(after(Duration.ofSeconds(15))).isEmpty();
        assertThat(after(Duration.ofMinutes(30))).isEmpty();
    }

    @Test
    void alert_firingPastTheRepeatInterval_isNotifiedAgainAsARepeat() {
        latency.value = 250;
        after(Duration.ZERO);
        after(Duration.ofMinutes(5));

        List<Notification> sent = after(Duration.ofHours(1));

        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.firing()).isTrue();
            assertThat(n.repeat()).isTrue();
        });
    }

    @Test
    void alert_conditionEndsWhileFiring_sendsResolvedOnce() {
        latency.value = 250;
        after(Duration.ZERO);
        after(Duration.ofMinutes(5));
        latency.value = 120;

        List<Notification> sent = after(Duration.ofSeconds(15));

        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.status()).isEqualTo("resolved");
            assertThat(n.dedupKey()).isEqualTo("oasis/dashboard-latency-p95");
        });
        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.INACTIVE);
        assertThat(after(Duration.ofSeconds(15))).isEmpty();
    }

    @Test
    void alert_conditionEndsWhilePending_neverSendsAnything() {
        latency.value = 250;
        after(Duration.ZERO);
        latency.value = 120;

        assertThat(after(Duration.ofMinutes(1))).isEmpty();
        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.INACTIVE);
        latency.value = 250;
        assertThat(after(Duration.ofMinutes(1))).isEmpty();
        assertThat(after(Duration.ofMinutes(4))).as("for restarts from the new pending").isEmpty();
    }

    @Test
    void alert_noData_doesNotHold() {
        latency.value = Double.NaN;

        after(Duration.ZERO);
        assertThat(after(Duration.ofMinutes(10))).isEmpty();
        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.INACTIVE);
    }

    @Test
    void silence_matchingTheAlert_sendsNothingUntilItEnds_thenTheFiringAlertIsNotified() {
        silences.add("dashboard-latency-p95", Duration.ofMinutes(20), "deploying", "test");
        latency.value = 250;
        after(Duration.ZERO);

        assertThat(after(Duration.ofMinutes(5))).isEmpty();
        assertThat(phase()).isEqualTo(AlertEvaluator.Phase.FIRING);
        assertThat(evaluator.status().get(0).silenced()).isTrue();
        assertThat(after(Duration.ofMinutes(10))).isEmpty();

        List<Notification> sent = after(Duration.ofMinutes(6));

        assertThat(sent).singleElement().satisfies(n -> assertThat(n.firing()).isTrue());
    }

    @Test
    void silence_byLabel_matchesAlertsCarryingIt_andLiftingItRestoresNotifications() {
        Silences.Silence silence = silences.add("endpoint=dashboard", Duration.ofHours(2), "", "test");
        latency.value = 250;
        after(Duration.ZERO);
        assertThat(after(Duration.ofMinutes(5))).isEmpty();

        assertThat(silences.remove(silence.id(), "test")).isTrue();

        assertThat(after(Duration.ofSeconds(15))).singleElement().satisfies(n -> assertThat(n.firing()).isTrue());
    }

    @Test
    void silence_withABadDuration_isRefusedWithTheReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> silences.add("x", Duration.ZERO, "", "test"))
                .hasMessageContaining("duration");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> silences.add(" ", Duration.ofHours(1), "", "test"))
                .hasMessageContaining("matcher");
    }
}
