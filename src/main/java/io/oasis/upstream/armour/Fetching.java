package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.observe.Tracing;
import io.oasis.upstream.Upstream;

/** The part's call to its upstream: one fetch through the per-attempt armour, counted for the retry budget. */
public final class Fetching implements Stage<PartCall, PartOutcome> {

    private final Next<Fetch, Attempted> attempts;
    private final CallClock clock;

    public Fetching(Next<Fetch, Attempted> attempts, CallClock clock) {
        this.attempts = attempts;
        this.clock = clock;
    }

    @Override
    public void run(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        Upstream upstream = call.upstream();
        upstream.protection().retryBudget().recordCall();
        Fetch fetch = new Fetch(upstream, call.target(), call.composition()::header, Tracing.traceparent(call.span()),
                call.composition().fault(upstream.name()), clock.nanoTime(), call.deadlineNanos(), call::abort);
        attempts.run(fetch, ended -> done.accept(ended.ok() ? PartOutcome.ok(ended.value(), fetch.attempts())
                : PartOutcome.failed(ended.failure(), ended.reason(), fetch.attempts())));
    }
}
