package io.oasis.resilience;

import java.time.Duration;

/**
 * The upstream's circuit breaker (resilience4j). Timeouts, connection errors, malformed answers and the
 * statuses in {@code record-statuses} (by default 3xx, 408, 429, 5xx) count as failures; other 4xx answers (the
 * caller's input) do not. While open, calls are not made: the part takes its
 * policy at once.
 *
 * @param failureRateThreshold percent of failed calls in the window that opens it
 * @param slowCallRateThreshold percent of slow calls in the window that opens it
 * @param slowCallDuration     a call slower than this is slow; absent: the response timeout
 * @param minimumCalls         calls in the window before the rates count
 * @param window               the sliding window (time based)
 * @param openDuration         how long it stays open before letting probes through
 * @param halfOpenCalls        probes that decide whether it closes again
 * @param recordStatuses       the answers' statuses that count as failures, e.g. "408, 429, 500-599"
 *                             (connection errors, timeouts and malformed answers always count)
 */
public record BreakerSettings(Float failureRateThreshold, Float slowCallRateThreshold, Duration slowCallDuration,
                              Integer minimumCalls, Duration window, Duration openDuration, Integer halfOpenCalls,
                              String recordStatuses) {

    public BreakerSettings over(BreakerSettings base) {
        return base == null ? this : new BreakerSettings(or(failureRateThreshold, base.failureRateThreshold),
                or(slowCallRateThreshold, base.slowCallRateThreshold), or(slowCallDuration, base.slowCallDuration),
                or(minimumCalls, base.minimumCalls), or(window, base.window), or(openDuration, base.openDuration),
                or(halfOpenCalls, base.halfOpenCalls), or(recordStatuses, base.recordStatuses));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
