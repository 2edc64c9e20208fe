package io.oasis.upstream.armour;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.cache.CachedValue;
import io.oasis.compose.Composition;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.Parts;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UrlTemplate;
import io.opentelemetry.api.trace.Span;

/**
 * One part of one request on its way through the armour: the call as declared, the request it serves, the parts
 * that arrived before it on its exchange, and what the stages found (its URL, its cache key and a stale value to
 * fall back on).
 */
public final class PartCall {

    private final CallSpec spec;
    private final Composition composition;
    private final Parts earlier;
    private final Span span;
    private final long startNanos;
    private final long deadlineNanos;
    private volatile String target;
    private volatile String key;
    private volatile CachedValue staleCandidate;
    /** hit, stale, miss, coalesced; null while the cache is not consulted */
    private volatile String cacheOutcome;
    /** What ends the part when a stage fails unexpectedly: cleanups first, then the part's own end. */
    private volatile Consumer<Throwable> abort = e -> { };

    public PartCall(CallSpec spec, Composition composition, Parts earlier, Span span, long startNanos) {
        this(spec, composition, earlier, span, startNanos, composition.deadlineNanos());
    }

    private PartCall(CallSpec spec, Composition composition, Parts earlier, Span span, long startNanos,
                     long deadlineNanos) {
        this.spec = spec;
        this.composition = composition;
        this.earlier = earlier;
        this.span = span;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** Ends the part this way when a stage throws (set by whoever waits for it: the producer). */
    public void onAbort(Consumer<Throwable> handler) {
        this.abort = handler;
    }

    /** Runs first when the part is aborted: e.g. lands the shared call this request started, so nobody waits on it. */
    void beforeAbort(Runnable cleanup) {
        Consumer<Throwable> then = abort;
        this.abort = e -> {
            cleanup.run();
            then.accept(e);
        };
    }

    /**
     * Ends the part after a stage threw: on a timer, Redis or I/O thread re-running the stages could release a
     * permit twice, so the part ends here instead, once, as an internal failure under its policy.
     */
    public void abort(Throwable e) {
        abort.accept(e);
    }

    /** The same call refreshing the cache in the background: no request waits for it, it has its own deadline. */
    PartCall refresh(long deadlineNanos) {
        PartCall refresh = new PartCall(spec, composition, earlier, span, startNanos, deadlineNanos);
        refresh.target = target;
        refresh.key = key;
        return refresh;
    }

    public CallSpec spec() {
        return spec;
    }

    public Upstream upstream() {
        return spec.upstream();
    }

    public Composition composition() {
        return composition;
    }

    public Span span() {
        return span;
    }

    public long startNanos() {
        return startNanos;
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** A part that arrived on this exchange before this call, or null. */
    public PartResult earlier(String part) {
        return earlier.get(part);
    }

    /**
     * A value for a URL or tag placeholder: an endpoint parameter, a scalar field of an earlier part's JSON, or a
     * claim of the caller's token; null when there is none.
     */
    public String value(UrlTemplate.Placeholder placeholder) {
        if (placeholder.fromCaller()) {
            // an anonymous caller has no claims: the call is not attempted and its part takes its policy
            return placeholder.fields().size() == 1 ? composition.caller().claim(placeholder.fields().get(0)) : null;
        }
        if (!placeholder.fromPart()) {
            return composition.parameter(placeholder.name());
        }
        PartResult part = earlier.get(placeholder.part());
        return part == null ? null : field(part.value(), placeholder);
    }

    /** A scalar field of some JSON, by the placeholder's field path; null when absent or not a scalar. */
    public static String field(JsonNode node, UrlTemplate.Placeholder placeholder) {
        for (String f : placeholder.fields()) {
            node = node == null ? null : node.get(f);
        }
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    public String target() {
        return target;
    }

    void target(String target) {
        this.target = target;
    }

    String key() {
        return key;
    }

    void key(String key) {
        this.key = key;
    }

    CachedValue staleCandidate() {
        return staleCandidate;
    }

    void staleCandidate(CachedValue value) {
        this.staleCandidate = value;
    }

    public String cacheOutcome() {
        return cacheOutcome;
    }

    void cacheOutcome(String outcome) {
        this.cacheOutcome = outcome;
    }
}
