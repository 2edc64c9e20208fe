package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;

/** The call's path and query from its template, each value encoded; a value missing: not attempted. */
public final class ResolveUrl implements Stage<PartCall, PartOutcome> {

    @Override
    public void run(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        String target = call.spec().url().expand(call.upstream().basePath(), call::value);
        if (target == null) {
            done.accept(PartOutcome.failed(Failure.DEPENDENCY, "not attempted: a value for its URL is missing", 0));
            return;
        }
        call.target(target);
        next.run(call, done);
    }
}
