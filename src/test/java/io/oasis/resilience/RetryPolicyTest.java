package io.oasis.resilience;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static final long MS = 1_000_000L;

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(30));

    @Test
    void delay_fullJitter_staysBetweenZeroAndTheDoublingCeilingCappedAtMax() {
        long[] ceilings = {10 * MS, 20 * MS, 30 * MS, 30 * MS};
        for (int retry = 1; retry <= 4; retry++) {
            long longest = 0;
            for (int i = 0; i < 2000; i++) {
                long delay = policy.delayNanos(retry, 0);
                assertThat(delay).isBetween(0L, ceilings[retry - 1]);
                longest = Math.max(longest, delay);
            }
            assertThat(longest).as("retry %d spreads over its range", retry).isGreaterThan(ceilings[retry - 1] / 2);
        }
    }

    @Test
    void delay_retryAfterLongerThanBackoff_waitsRetryAfter() {
        assertThat(policy.delayNanos(1, 2_000 * MS)).isEqualTo(2_000 * MS);
    }

    @Test
    void retryAfter_secondsOrHttpDateOrGarbage_readsWhatItCan() {
        ZonedDateTime now = ZonedDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.UTC);

        assertThat(RetryPolicy.retryAfterNanos("3", now)).isEqualTo(3_000 * MS);
        assertThat(RetryPolicy.retryAfterNanos("Fri, 27 Nov 2026 10:00:05 GMT", now)).isEqualTo(5_000 * MS);
        assertThat(RetryPolicy.retryAfterNanos("Fri, 27 Nov 2026 09:59:00 GMT", now)).isZero();
        assertThat(RetryPolicy.retryAfterNanos("soon", now)).isZero();
        assertThat(RetryPolicy.retryAfterNanos(null, now)).isZero();
    }
}
