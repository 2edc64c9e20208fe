package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;
import io.oasis.upstream.PartStatus;

/**
 * A failed part takes its policy: its default stands in, or nothing does (required: the response fails); a part
 * not attempted because of its dependencies is skipped. A stale value found by {@link CacheRead} is kept.
 */
public final class ApplyPolicy implements Stage<PartCall, PartOutcome> {

    @Override
    public void run(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        next.run(call, outcome -> done.accept(apply(call.spec(), outcome)));
    }

    static PartOutcome apply(CallSpec spec, PartOutcome outcome) {
        if (outcome.status() != PartStatus.FAILED) {
            return outcome;
        }
        PartStatus status = outcome.failure() == Failure.DEPENDENCY ? PartStatus.SKIPPED
                : spec.required() ? PartStatus.FAILED : PartStatus.DEFAULT;
        return new PartOutcome(status, spec.required() ? null : spec.fallback(), outcome.failure(), outcome.reason(),
                -1, outcome.attempts());
    }
}
