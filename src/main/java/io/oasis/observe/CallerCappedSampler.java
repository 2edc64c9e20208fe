package io.oasis.observe;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Sampling that a caller cannot turn up: a trace Oasis starts is sampled at the configured ratio of its trace id; a
 * caller's {@code traceparent} asking for sampling is honoured at most {@code perSecond} times a second, and past
 * that the request is sampled at the same ratio as any other, by a draw of Oasis' own (the caller chose the trace
 * id, so a ratio of it would be the caller's choice too). Without the cap, every request of a client setting the
 * sampled flag was traced and exported. Spans inside Oasis follow their parent.
 */
final class CallerCappedSampler implements Sampler {

    private final double ratio;
    private final Sampler roots;
    private final int perSecond;
    /** the second the budget counts for, times 2^20, plus what was used of it: one atomic, no lock */
    private final AtomicLong budget = new AtomicLong();

    CallerCappedSampler(double ratio, int perSecond) {
        this.ratio = ratio;
        this.roots = Sampler.traceIdRatioBased(ratio);
        this.perSecond = perSecond;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind kind,
                                       Attributes attributes, List<LinkData> links) {
        SpanContext parent = Span.fromContext(parentContext).getSpanContext();
        if (!parent.isValid()) {
            return roots.shouldSample(parentContext, traceId, name, kind, attributes, links);
        }
        if (!parent.isRemote()) {
            return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
        }
        if (parent.isSampled() && take(System.nanoTime() / 1_000_000_000L)) {
            return SamplingResult.recordAndSample();
        }
        return ThreadLocalRandom.current().nextDouble() < ratio ? SamplingResult.recordAndSample()
                : SamplingResult.drop();
    }

    /** One of this second's caller-requested samples, if any is left. */
    boolean take(long second) {
        while (true) {
            long now = budget.get();
            long used = (now >>> 20) == second ? now & 0xFFFFF : 0;
            if (used >= perSecond) {
                return false;
            }
            if (budget.compareAndSet(now, (second << 20) | (used + 1))) {
                return true;
            }
        }
    }

    @Override
    public String getDescription() {
        return "CallerCappedSampler{ratio=" + ratio + ", callerSampledPerSecond=" + perSecond + "}";
    }
}
