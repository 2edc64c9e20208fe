package io.oasis.upstream.armour;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.oasis.resilience.BreakerFailures;
import io.oasis.upstream.Failure;

/**
 * The upstream's circuit breaker: open, the attempt is not made; closed, the attempt's end is recorded. What
 * counts as the upstream's failure is its {@link BreakerFailures}; an attempt that never went out, found no pooled
 * connection in time, or was cut short by the endpoint's budget rather than by the upstream's own timeout says
 * nothing about the upstream and only gives its permission back.
 */
public final class Breaker implements Stage<Fetch, Attempted> {

    private final CallClock clock;

    public Breaker(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        CircuitBreaker breaker = fetch.upstream().protection().breaker();
        if (!breaker.tryAcquirePermission()) {
            done.accept(Attempted.refused(Failure.SHORT_CIRCUITED, "not called: circuit breaker "
                    + breaker.getState().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
            return;
        }
        long start = clock.nanoTime();
        next.run(fetch, attempted -> {
            record(fetch, breaker, attempted, clock.nanoTime() - start);
            done.accept(attempted);
        });
    }

    static void record(Fetch fetch, CircuitBreaker breaker, Attempted attempted, long elapsedNanos) {
        Failure failure = attempted.failure();
        BreakerFailures failures = fetch.upstream().protection().breakerFailures();
        if (!attempted.sent() || failure == Failure.REJECTED || failure == Failure.TIMEOUT
                && fetch.attemptTimeoutNanos() < fetch.upstream().responseTimeoutNanos()) {
            breaker.releasePermission();
        } else if (failure == null || failure == Failure.UPSTREAM_STATUS && !failures.counts(attempted.status())) {
            breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, new UpstreamFailure(failure));
        }
    }

    /** What the circuit breaker records for a failed attempt; no stack trace, it is never thrown. */
    static final class UpstreamFailure extends Exception {

        UpstreamFailure(Failure failure) {
            super(failure.label(), null, false, false);
        }
    }
}
