package io.oasis.upstream.armour;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step that runs later, on a timer, Redis or I/O thread: whatever it throws is logged and aborts the part
 * ({@link PartCall#abort}) instead of killing the thread or leaving the request waiting.
 */
final class Guarded {

    private static final Logger LOG = LoggerFactory.getLogger(Guarded.class);

    private Guarded() {
    }

    static Runnable step(Runnable step, Consumer<Throwable> abort) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("unexpected failure in a delayed step of the call", e);
                abort.accept(e);
            }
        };
    }
}
