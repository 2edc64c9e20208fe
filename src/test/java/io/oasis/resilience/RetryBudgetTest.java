package io.oasis.resilience;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    private int retriesAllowed(RetryBudget budget, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (budget.tryRetry()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void tryRetry_noTraffic_allowsTheFloorPerSecondOfTheWindow() {
        RetryBudget budget = new RetryBudget(0.1, 2, 10, clock::get);

        assertThat(retriesAllowed(budget, 100)).isEqualTo(20);
    }

    @Test
    void tryRetry_manyCalls_allowsTheRatioOfThem() {
        RetryBudget budget = new RetryBudget(0.1, 0, 10, clock::get);
        for (int i = 0; i < 1000; i++) {
            budget.recordCall();
        }

        assertThat(retriesAllowed(budget, 1000)).isEqualTo(100);
    }

    @Test
    void tryRetry_windowSlidesPast_forgetsOldCallsAndRetries() {
        RetryBudget budget = new RetryBudget(0.1, 0, 10, clock::get);
        for (int i = 0; i < 1000; i++) {
            budget.recordCall();
        }
        assertThat(retriesAllowed(budget, 100)).isEqualTo(100);

        clock.addAndGet(11 * SECOND);

        assertThat(retriesAllowed(budget, 10)).isZero();
        for (int i = 0; i < 100; i++) {
            budget.recordCall();
        }
        assertThat(retriesAllowed(budget, 100)).isEqualTo(10);
    }

    @Test
    void tryRetry_partOfTheWindowPassed_keepsTheRecentSeconds() {
        RetryBudget budget = new RetryBudget(0.5, 0, 10, clock::get);
        for (int i = 0; i < 100; i++) {
            budget.recordCall();
        }
        clock.addAndGet(5 * SECOND);
        for (int i = 0; i < 100; i++) {
            budget.recordCall();
        }

        assertThat(retriesAllowed(budget, 1000)).isEqualTo(100);
        clock.addAndGet(6 * SECOND);
        assertThat(retriesAllowed(budget, 1000)).isZero();
    }
}
