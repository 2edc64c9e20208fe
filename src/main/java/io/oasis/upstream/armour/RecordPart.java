package io.oasis.upstream.armour;

import java.util.function.Consumer;

import io.oasis.upstream.Failure;
import io.oasis.upstream.PartStatus;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part's end, recorded: its span (status, attempts, breaker state, cache outcome) and the upstream's call
 * metrics (a cached answer or a call not attempted is no call of the upstream's).
 */
public final class RecordPart implements Stage<PartCall, PartOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordPart.class);

    private final CallClock clock;

    public RecordPart(CallClock clock) {
        this.clock = clock;
    }

    @Override
    public void run(PartCall call, Next<PartCall, PartOutcome> next, Consumer<PartOutcome> done) {
        next.run(call, outcome -> {
            try {
                record(call, outcome);
            } catch (RuntimeException e) {
                // may run on the client's I/O thread: the part still ends
                LOG.error("{}: unexpected failure recording the call", call.spec().part(), e);
            }
            done.accept(outcome);
        });
    }

    private void record(PartCall call, PartOutcome outcome) {
        Span span = call.span();
        if (span.isRecording()) {
            span.setAttribute("oasis.part.status", outcome.status().label());
            span.setAttribute("oasis.attempts", outcome.attempts());
            span.setAttribute("oasis.breaker.state", call.upstream().protection().breaker().getState().name());
            if (call.cacheOutcome() != null) {
                span.setAttribute("oasis.cache", call.cacheOutcome());
            }
            if (outcome.failure() != null) {
                span.setStatus(StatusCode.ERROR, outcome.reason());
            }
        }
        span.end();
        if (outcome.status() != PartStatus.CACHED && outcome.failure() != Failure.DEPENDENCY) {
            call.upstream().metrics().record(outcome.failure(), clock.nanoTime() - call.startNanos());
        }
        if (outcome.failure() != null) {
            LOG.debug("{}: {} ({})", call.spec().part(), outcome.reason(), outcome.status().label());
        }
    }
}
