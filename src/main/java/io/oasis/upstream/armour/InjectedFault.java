package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.resilience.FaultInjection;
import io.oasis.upstream.Failure;

/** A fault injected into this request (demo and drills): its delay first, then its status instead of a call. */
public final class InjectedFault implements Stage<Fetch, Attempted> {

    private final CallClock clock;

    public InjectedFault(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        FaultInjection.Fault fault = fetch.takeFault();
        if (fault == null) {
            next.run(fetch, done);
            return;
        }
        clock.schedule(Guarded.step(() -> {
            if (fault.status() > 0) {
                done.accept(Attempted.refused(Failure.UPSTREAM_STATUS, "injected fault: " + fault.status()));
            } else {
                next.run(fetch, done);
            }
        }, fetch::abort), fault.delayNanos());
    }
}
