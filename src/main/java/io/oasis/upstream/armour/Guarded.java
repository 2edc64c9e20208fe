package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A step that runs later, on a timer or an I/O thread: whatever it throws ends the call instead of the thread. */
final class Guarded {

    private static final Logger LOG = LoggerFactory.getLogger(Guarded.class);

    private Guarded() {
    }

    static Runnable step(Runnable step, Consumer<Attempted> done) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("unexpected failure in a delayed step of the call", e);
                done.accept(Attempted.refused(Failure.INTERNAL, "internal error in a delayed step of the call"));
            }
        };
    }
}
