package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;
import io.oasis.upstream.PartResult;

/** A call whose URL needs an earlier part is not attempted unless that part arrived with a value. */
public final class DependencyGate implements Stage<PartCall, PartOutcome> {

    @Override
    public void run(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        for (String dependency : call.spec().url().dependencies()) {
            PartResult earlier = call.earlier(dependency);
            if (earlier == null || !earlier.hasValue()) {
                String why = earlier == null ? "was not called" : "is " + earlier.status().label();
                done.accept(PartOutcome.failed(Failure.DEPENDENCY, "not attempted: " + dependency + " " + why, 0));
                return;
            }
        }
        next.run(call, done);
    }
}
