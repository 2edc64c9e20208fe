package io.oasis.upstream.armour;

import java.util.function.Consumer;
import java.util.function.Function;

import io.oasis.resilience.FaultInjection;
import io.oasis.upstream.Upstream;

/**
 * One logical request to an upstream, across its attempts: where it goes, with which headers, until when. Its
 * stages run one at a time (an attempt starts after the previous one ended), so its counters need no lock.
 */
public final class Fetch {

    private final Upstream upstream;
    private final String target;
    private final Function<String, String> headers;
    private final String traceparent;
    private final long startNanos;
    private final long deadlineNanos;
    private final Consumer<Throwable> abort;
    private FaultInjection.Fault fault;
    private volatile int attempts;
    private volatile long attemptTimeoutNanos;

    public Fetch(Upstream upstream, String target, Function<String, String> headers, String traceparent,
                 FaultInjection.Fault fault, long startNanos, long deadlineNanos, Consumer<Throwable> abort) {
        this.abort = abort;
        this.upstream = upstream;
        this.target = target;
        this.headers = headers;
        this.traceparent = traceparent;
        this.fault = fault;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    public Upstream upstream() {
        return upstream;
    }

    /** The path and query on the upstream. */
    public String target() {
        return target;
    }

    /** An inbound header by lower-case name, if the request kept it. */
    public String header(String lowerCaseName) {
        return headers.apply(lowerCaseName);
    }

    public String traceparent() {
        return traceparent;
    }

    public long startNanos() {
        return startNanos;
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Ends the part this fetch serves after a stage threw (see {@link PartCall#abort}). */
    void abort(Throwable e) {
        abort.accept(e);
    }

    /** The fault injected into this request, once: the first attempt takes it. */
    FaultInjection.Fault takeFault() {
        FaultInjection.Fault f = fault;
        fault = null;
        return f;
    }

    public int attempts() {
        return attempts;
    }

    void attempted() {
        attempts++;
    }

    /** The current attempt's timeout: the upstream's, or less when the endpoint's budget has less left. */
    public long attemptTimeoutNanos() {
        return attemptTimeoutNanos;
    }

    void attemptTimeoutNanos(long nanos) {
        this.attemptTimeoutNanos = nanos;
    }
}
