package io.oasis.resilience;

import java.time.Duration;

/**
 * All calls to this upstream from every endpoint together; beyond it a call is not made and its part takes its
 * policy.
 *
 * @param requests calls allowed per {@code per}; 0 turns the limit off
 */
public record RateLimitSettings(Integer requests, Duration per) {

    public RateLimitSettings over(RateLimitSettings base) {
        return base == null ? this : new RateLimitSettings(or(requests, base.requests), or(per, base.per));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
