package io.oasis.resilience;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;


/**
 * Which failed attempts are tried again and after how long: connection errors and 502, 503, 504, 429; exponential
 * backoff with full jitter (a random wait up to min(max-delay, base-delay x 2^(n-1))), stretched to Retry-After
 * when the upstream names a longer wait. Calls are GETs, so every call is idempotent.
 */
public final class RetryPolicy {

    private final int attempts;
    private final long baseNanos;
    private final long maxNanos;

    public RetryPolicy(int attempts, Duration baseDelay, Duration maxDelay) {
        this.attempts = attempts;
        this.baseNanos = baseDelay.toNanos();
        this.maxNanos = maxDelay.toNanos();
    }

    public int attempts() {
        return attempts;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry).
     *
     * @param retryAfterNanos what the upstream asked for, or 0
     */
    public long delayNanos(int retry, long retryAfterNanos) {
        long ceiling = Math.min(maxNanos, baseNanos << Math.min(retry - 1, 30));
        long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        return Math.max(jittered, retryAfterNanos);
    }

    /** Retry-After as seconds or as an HTTP date, in nanoseconds from now; 0 when absent or unreadable. */
    public static long retryAfterNanos(String value, ZonedDateTime now) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        try {
            return Math.max(0, Duration.ofSeconds(Long.parseLong(v)).toNanos());
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(now, at).toNanos());
            } catch (DateTimeParseException unreadable) {
                return 0;
            }
        }
    }
}
