package io.oasis.upstream.armour;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.Consumer;

import io.oasis.resilience.RetryPolicy;
import io.oasis.resilience.UpstreamProtection;
import io.oasis.upstream.Failure;
import io.oasis.upstream.Upstream;

/**
 * Retries a failed attempt when the failure is worth it (connection errors, 502, 503, 504, 429), with backoff and
 * Retry-After, within the upstream's retry budget, and only when what is left of the endpoint's budget gives the
 * retry at least half the time the first attempt had.
 */
public final class Retry implements Stage<Fetch, Attempted> {

    private final CallClock clock;

    public Retry(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        next.run(fetch, new Consumer<>() {
            @Override
            public void accept(Attempted attempted) {
                long delay = attempted.ok() ? -1 : delayNanos(fetch, attempted);
                if (delay < 0) {
                    done.accept(attempted);
                    return;
                }
                Consumer<Attempted> again = this;
                clock.schedule(Guarded.step(() -> next.run(fetch, again), fetch::abort), delay);
            }
        });
    }

    /** Worth another attempt: a connection error, 502, 503, 504 or 429 ({@code status} 0 when none came). */
    static boolean retryable(Failure failure, int status) {
        return switch (failure) {
            case CONNECTION -> true;
            case UPSTREAM_STATUS -> status == 502 || status == 503 || status == 504 || status == 429;
            default -> false;
        };
    }

    /** The wait before the next attempt, or -1 when there is none. */
    long delayNanos(Fetch fetch, Attempted attempted) {
        Upstream upstream = fetch.upstream();
        UpstreamProtection protection = upstream.protection();
        RetryPolicy policy = protection.retry();
        if (fetch.attempts() >= policy.attempts() || !retryable(attempted.failure(), attempted.status())) {
            return -1;
        }
        long after = RetryPolicy.retryAfterNanos(attempted.retryAfter(), ZonedDateTime.now(ZoneOffset.UTC));
        long delay = policy.delayNanos(fetch.attempts(), after);
        long left = fetch.deadlineNanos() - clock.nanoTime() - delay;
        if (left < Math.min(upstream.responseTimeoutNanos(), fetch.deadlineNanos() - fetch.startNanos()) / 2) {
            return -1;
        }
        if (!protection.retryBudget().tryRetry()) {
            upstream.metrics().retryDenied();
            return -1;
        }
        upstream.metrics().retried();
        return delay;
    }
}
