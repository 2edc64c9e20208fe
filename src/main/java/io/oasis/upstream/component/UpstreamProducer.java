package io.oasis.upstream.component;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.oasis.compose.Composition;
import io.oasis.observe.RequestContext;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.PartStatus;
import io.oasis.upstream.Parts;
import io.oasis.upstream.armour.CallSpec;
import io.oasis.upstream.armour.PartCall;
import io.oasis.upstream.armour.PartOutcome;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the call through the armour and holds no thread while it is out: the exchange goes on when the part has
 * ended, with the part's JSON as its body and the part added to those it carries.
 */
final class UpstreamProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProducer.class);

    private final UpstreamEndpoint endpoint;

    UpstreamProducer(UpstreamEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        if (composition == null) {
            exchange.setException(new IllegalStateException(endpoint.getEndpointUri()
                    + " was called outside an endpoint: the endpoint route must begin with the beginComposition step"));
            callback.done(true);
            return true;
        }
        UpstreamComponent component = endpoint.getComponent();
        CallSpec spec = endpoint.spec();
        PartCall call = new PartCall(spec, composition, Parts.of(exchange),
                component.tracing().call(composition.span(), spec.upstream().name(), spec.part()),
                component.clock().nanoTime());
        Completion completion = new Completion(exchange, call, callback);
        call.onAbort(completion::abort);
        try {
            component.armour().call(call, completion::complete);
        } catch (RuntimeException e) {
            call.abort(e);
        }
        return completion.returned();
    }

    /** Hands the exchange back to Camel exactly once, synchronously if the part ended before process returned. */
    private final class Completion {

        private static final int RUNNING = 0;
        private static final int RETURNED = 1;
        private static final int ENDED = 2;

        private final Exchange exchange;
        private final PartCall call;
        private final AsyncCallback callback;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final AtomicBoolean ended = new AtomicBoolean();

        Completion(Exchange exchange, PartCall call, AsyncCallback callback) {
            this.exchange = exchange;
            this.call = call;
            this.callback = callback;
        }

        void complete(PartOutcome outcome) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            CallSpec spec = call.spec();
            Composition composition = call.composition();
            long nanos = endpoint.getComponent().clock().nanoTime() - call.startNanos();
            Parts.add(exchange, new PartResult(spec.part(), spec.order(), outcome.status(), outcome.value(), nanos,
                    spec.required(), outcome.attempts(), outcome.failure(), outcome.reason(), outcome.ageMillis(),
                    spec.upstream().name(), call.cacheOutcome(), call.startNanos() - composition.startNanos()));
            exchange.getMessage().setBody(outcome.value());
            if (!state.compareAndSet(RUNNING, ENDED)) {
                try {
                    callback.done(false);
                } catch (Throwable e) {
                    try (RequestContext.Scope ignored = endpoint.getComponent().context().enter(composition)) {
                        LOG.error("{}: unexpected failure continuing the route after the call", spec.part(), e);
                    }
                }
            }
        }

        /** A stage threw: the part ends as an internal failure under its policy, logged with its request. */
        void abort(Throwable e) {
            CallSpec spec = call.spec();
            try (RequestContext.Scope ignored = endpoint.getComponent().context().enter(call.composition())) {
                LOG.error("{}: unexpected failure in the call", spec.part(), e);
            }
            call.span().end();
            complete(new PartOutcome(spec.required() ? PartStatus.FAILED : PartStatus.DEFAULT, spec.fallback(),
                    Failure.INTERNAL, "internal error in the call", -1, 0));
        }

        /** What process returns: true when the part already ended (then the callback is called here). */
        boolean returned() {
            if (state.compareAndSet(RUNNING, RETURNED)) {
                return false;
            }
            callback.done(true);
            return true;
        }
    }
}
