package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;

/** Each attempt gets the upstream's timeout, or what is left of the endpoint's budget when that is less. */
public final class AttemptDeadline implements Stage<Fetch, Attempted> {

    static final String SPENT = "not attempted: the endpoint's budget was spent";

    private final CallClock clock;

    public AttemptDeadline(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        long timeout = Math.min(fetch.upstream().responseTimeoutNanos(), fetch.deadlineNanos() - clock.nanoTime());
        if (timeout <= 0) {
            done.accept(Attempted.refused(Failure.TIMEOUT, SPENT));
            return;
        }
        fetch.attemptTimeoutNanos(timeout);
        next.run(fetch, done);
    }
}
