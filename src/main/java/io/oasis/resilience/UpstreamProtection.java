package io.oasis.resilience;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.oasis.upstream.UpstreamSettings;
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
    private final Bucket rateLimit;
    private final RetryPolicy retry;
    private final RetryBudget retryBudget;

    public UpstreamProtection(String upstream, UpstreamSettings settings) {
        UpstreamSettings.Breaker b = settings.breaker();
        Duration slow = b.slowCallDuration() != null ? b.slowCallDuration() : settings.responseTimeout();
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
                .maxConcurrentCalls(settings.maxInFlight())
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
        UpstreamSettings.RateLimit limit = settings.rateLimit();
        this.rateLimit = limit.requests() <= 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.requests())
                        .refillGreedy(limit.requests(), limit.per()).build())
                .build();
        UpstreamSettings.Retry r = settings.retry();
        this.retry = new RetryPolicy(r.attempts(), r.baseDelay(), r.maxDelay());
        this.retryBudget = new RetryBudget(r.budgetRatio(), r.budgetMinPerSecond(),
                (int) Math.max(1, r.budgetWindow().toSeconds()), System::nanoTime);
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /** Takes one call from the upstream's rate limit; true when there is no limit. */
    public boolean tryRate() {
        return rateLimit == null || rateLimit.tryConsume(1);
    }

    public RetryPolicy retry() {
        return retry;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }
}
