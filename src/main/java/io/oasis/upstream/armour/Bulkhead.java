package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;

/** The upstream's bulkhead: so many attempts in flight at once; one more is refused at once, holding nothing. */
public final class Bulkhead implements Stage<Fetch, Attempted> {

    @Override
    public void run(Fetch fetch, Next<Fetch, Attempted> next, Consumer<Attempted> done) {
        io.github.resilience4j.bulkhead.Bulkhead bulkhead = fetch.upstream().protection().bulkhead();
        if (!bulkhead.tryAcquirePermission()) {
            done.accept(Attempted.refused(Failure.REJECTED, "not called: " + fetch.upstream().settings().maxInFlight()
                    + " calls to the upstream are already in flight"));
            return;
        }
        next.run(fetch, attempted -> {
            bulkhead.onComplete();
            done.accept(attempted);
        });
    }
}
