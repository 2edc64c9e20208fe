package io.oasis.resilience;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream's protection, applied by every call in this order: its rate limit, its circuit breaker, its
 * bulkhead, then retries within the retry budget. The resilience4j and Bucket4j objects are used directly rather
 * than through Camel's circuit-breaker EIP, which runs the protected step synchronously on a thread of its own
 * per call (see docs/resilience.md): here a call holds no thread while it waits.
 */
public final class UpstreamProtection {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProtection.class);

    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    /** null: no limit. Replaced whole when an operator changes the limit (JMX), read once per call. */
    private volatile RateLimit rateLimit;
    private final RetryPolicy retry;
    private final RetryBudget retryBudget;
    private final SharedLimits sharedLimits;
    private final BreakerFailures breakerFailures;

    /**
     * @param responseTimeout a call slower than this is slow, unless the breaker says otherwise
     * @param maxInFlight     the bulkhead: calls at once
     */
    public UpstreamProtection(String upstream, BreakerSettings b, RetrySettings r, RateLimitSettings limit,
                              Duration responseTimeout, int maxInFlight, SharedLimits sharedLimits) {
        this.sharedLimits = sharedLimits;
        this.breakerFailures = BreakerFailures.parse("oasis.upstreams." + upstream + ".breaker.record-statuses",
                b.recordStatuses());
        Duration slow = b.slowCallDuration() != null ? b.slowCallDuration() : responseTimeout;
        this.breaker = CircuitBreaker.of(upstream, CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slowCallRateThreshold(b.slowCallRateThreshold())
                .slowCallDurationThreshold(slow)
                .minimumNumberOfCalls(b.minimumCalls())
                .slidingWindow((int) Math.max(1, b.window().toSeconds()), b.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.TIME_BASED,
                        // many I/O threads record at once: no lock on the path of every call
                        CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .waitDurationInOpenState(b.openDuration())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.warn("upstream {}: circuit breaker {} (failure rate {}%, slow calls {}%)", upstream,
                        e.getStateTransition(), breaker.getMetrics().getFailureRate(),
                        breaker.getMetrics().getSlowCallRate());
            } else {
                LOG.info("upstream {}: circuit breaker {}", upstream, e.getStateTransition());
            }
        });
        this.bulkhead = Bulkhead.of(upstream, BulkheadConfig.custom()
                .maxConcurrentCalls(maxInFlight)
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
        setRateLimit(limit.requests(), limit.per(), 0);
        this.retry = new RetryPolicy(r.attempts(), r.baseDelay(), r.maxDelay());
        this.retryBudget = new RetryBudget(r.budgetRatio(), r.budgetMinPerSecond(),
                (int) Math.max(1, r.budgetWindow().toSeconds()), System::nanoTime);
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** What the breaker counts as the upstream's failures. */
    public BreakerFailures breakerFailures() {
        return breakerFailures;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /**
     * Replaces the upstream's rate limit, starting with a full bucket; {@code requests} 0 removes it. With shared
     * limits the new limit replaces the one in Redis, for every instance (a newer version wins).
     */
    public void setRateLimit(long requests, Duration per) {
        setRateLimit(requests, per, System.currentTimeMillis());
    }

    private void setRateLimit(long requests, Duration per, long version) {
        if (requests < 0 || per == null || per.isZero() || per.isNegative()) {
            throw new IllegalArgumentException("a rate limit is 0 (none) or more requests per a positive duration, not "
                    + requests + " per " + per);
        }
        this.rateLimit = requests == 0 ? null : new RateLimit(requests, per, Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, per).build()).build(),
                sharedLimits != null && sharedLimits.enabled()
                        ? sharedLimits.limit("upstream", requests, per, version, 1) : null);
    }

    /** The rate limit in force, null when there is none. */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    public RetryPolicy retry() {
        return retry;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /**
     * A rate limit in force: so many calls per period, and the bucket counting them in this instance; with
     * {@code shared}, Redis counts them for all instances and the local bucket serves while Redis is away.
     */
    public record RateLimit(long requests, Duration per, Bucket bucket, SharedLimits.Limit shared) {
    }
}
