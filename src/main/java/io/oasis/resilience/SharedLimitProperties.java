package io.oasis.resilience;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.shared-limits}: whether the per-client and per-upstream rate limits count for all instances together
 * (in Redis, {@code oasis.cache.redis}) instead of for each instance alone.
 *
 * @param enabled            true: N per second is N for the whole fleet; needs {@code oasis.cache.redis.enabled}
 * @param whenRedisUnavailable {@code local}: each instance counts alone until Redis is back (fail open to the local
 *                           limits); {@code refuse}: requests and calls under a shared limit are refused (fail closed)
 */
@ConfigurationProperties("oasis.shared-limits")
public record SharedLimitProperties(@DefaultValue("false") boolean enabled,
                                    @DefaultValue("local") String whenRedisUnavailable) {
}
