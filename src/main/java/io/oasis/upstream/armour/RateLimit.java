package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.resilience.UpstreamProtection;
import io.oasis.upstream.Failure;

/**
 * The upstream's rate limit, all endpoints together: counted in this instance, or in Redis for every instance
 * (the attempt goes on when Redis answers, on a Lettuce thread; Redis away: refused, as configured).
 */
public final class RateLimit implements Stage<Fetch, Attempted> {

    static final String REACHED = "not called: the upstream's rate limit is reached";

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        UpstreamProtection.RateLimit limit = fetch.upstream().protection().rateLimit();
        if (limit == null) {
            next.run(fetch, done);
        } else if (limit.shared() != null) {
            limit.shared().tryConsume(fetch.upstream().name(), limit.bucket()).whenComplete((verdict, error) ->
                    Guarded.step(() -> {
                        if (verdict != null && verdict.admitted()) {
                            next.run(fetch, done);
                        } else {
                            done.accept(Attempted.refused(Failure.RATE_LIMITED, verdict != null
                                    && verdict.refusedUnchecked()
                                    ? "not called: the shared rate limit cannot be checked (Redis unreachable)"
                                    : REACHED));
                        }
                    }, fetch::abort).run());
        } else if (limit.bucket().tryConsume(1)) {
            next.run(fetch, done);
        } else {
            done.accept(Attempted.refused(Failure.RATE_LIMITED, REACHED));
        }
    }
}
