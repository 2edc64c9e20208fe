package io.oasis.resilience;

import java.time.Duration;

/**
 * Retries of idempotent calls after connection errors, 502, 503, 504 and 429, with exponential backoff and full
 * jitter: attempt n waits a random time up to min(max-delay, base-delay x 2^(n-1)), or Retry-After when longer;
 * never past the endpoint's budget.
 *
 * @param attempts           including the first; 1 turns retries off
 * @param budgetRatio        retries at most this share of the calls in the window, so that retries cannot
 *                           multiply the load on an upstream that is down
 * @param budgetMinPerSecond retries allowed per second of the window whatever the ratio, for low traffic
 * @param budgetWindow       the window the ratio is measured over
 */
public record RetrySettings(Integer attempts, Duration baseDelay, Duration maxDelay, Double budgetRatio,
                            Integer budgetMinPerSecond, Duration budgetWindow) {

    public RetrySettings over(RetrySettings base) {
        return base == null ? this : new RetrySettings(or(attempts, base.attempts), or(baseDelay, base.baseDelay),
                or(maxDelay, base.maxDelay), or(budgetRatio, base.budgetRatio),
                or(budgetMinPerSecond, base.budgetMinPerSecond), or(budgetWindow, base.budgetWindow));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
