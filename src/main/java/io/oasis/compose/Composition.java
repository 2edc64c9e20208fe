package io.oasis.compose;

import java.util.List;
import java.util.Map;

import io.oasis.endpoint.Caller;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.Parts;
import io.oasis.resilience.FaultInjection;
import io.opentelemetry.api.trace.Span;

/**
 * What one endpoint request brought and may spend, the same for all its calls: validated inputs, forwarded
 * headers, the caller, the deadline, the injected faults, its span. Read-only while the calls run; the parts
 * themselves travel in the message ({@link Parts}).
 */
public final class Composition {

    /** The exchange property that carries it. */
    public static final String PROPERTY = "oasis.composition";
    /** The endpoint request's span, set before the composition exists (a refused request has one too). */
    public static final String SPAN_PROPERTY = "oasis.span";
    /** The request's arrival, {@link System#nanoTime()}, set before the composition exists. */
    public static final String ARRIVAL_PROPERTY = "oasis.arrival";

    private final String endpoint;
    private final long startNanos;
    private final long deadlineNanos;
    private final Map<String, String> parameters;
    private final Map<String, String> headers;
    private final Map<String, FaultInjection.Fault> faults;
    private final Span span;
    private final String client;
    private final Caller caller;
    private volatile List<PartResult> parts = List.of();
    private String answerKey;

    /**
     * @param parameters validated endpoint inputs by name
     * @param headers    inbound headers some upstream may receive, by lower-case name
     * @param faults     faults injected into this request's calls, by upstream name
     * @param span       the endpoint request's span
     * @param client     who asked, as the request log may show it (never a credential)
     * @param caller     who the validated bearer token says asked, for {caller.claim} placeholders
     */
    public Composition(String endpoint, long startNanos, long budgetNanos, Map<String, String> parameters,
                       Map<String, String> headers, Map<String, FaultInjection.Fault> faults, Span span,
                       String client, Caller caller) {
        this.caller = caller;
        this.endpoint = endpoint;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + budgetNanos;
        this.parameters = parameters;
        this.headers = headers;
        this.faults = faults;
        this.span = span;
        this.client = client;
    }

    /** Who asked, as the validated token says; anonymous when the endpoint takes no caller or none came. */
    public Caller caller() {
        return caller;
    }

    public Span span() {
        return span;
    }

    public String client() {
        return client;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public String endpoint() {
        return endpoint;
    }

    public long startNanos() {
        return startNanos;
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** No fault is injected into this request (its answer may be cached whole). */
    public boolean faultFree() {
        return faults.isEmpty();
    }

    /** The fault injected into calls to this upstream, or null. */
    public FaultInjection.Fault fault(String upstream) {
        return faults.isEmpty() ? null : faults.get(upstream);
    }

    /** The whole-answer cache key of this request, or null when its endpoint keeps no whole answers. */
    public String answerKey() {
        return answerKey;
    }

    public void answerKey(String key) {
        this.answerKey = key;
    }

    /** The parts the answer was made of, once it is rendered (for the request log). */
    public void rendered(List<PartResult> parts) {
        this.parts = parts;
    }

    /** The parts the answer was made of, in the order the route declares them; none before it is rendered. */
    public List<PartResult> parts() {
        return parts;
    }
}
