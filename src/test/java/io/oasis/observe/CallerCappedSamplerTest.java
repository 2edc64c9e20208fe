package io.oasis.observe;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerCappedSamplerTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static Context remote(boolean sampled, boolean remote) {
        SpanContext parent = remote
                ? SpanContext.createFromRemoteParent(TRACE, "00f067aa0ba902b7",
                        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())
                : SpanContext.create(TRACE, "00f067aa0ba902b7",
                        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
        return Context.root().with(Span.wrap(parent));
    }

    private static SamplingDecision decide(CallerCappedSampler sampler, Context parent) {
        return sampler.shouldSample(parent, TRACE, "dashboard", SpanKind.SERVER, Attributes.empty(), java.util.List.of())
                .getDecision();
    }

    @Test
    void take_withinOneSecond_givesAtMostTheCap_andANewSecondGivesItAgain() {
        CallerCappedSampler sampler = new CallerCappedSampler(0.1, 3);

        assertThat(sampler.take(100)).isTrue();
        assertThat(sampler.take(100)).isTrue();
        assertThat(sampler.take(100)).isTrue();
        assertThat(sampler.take(100)).isFalse();
        assertThat(sampler.take(101)).isTrue();
    }

    @Test
    void callerAskingForSampling_pastTheCap_isSampledAtTheRatioOnly() {
        CallerCappedSampler never = new CallerCappedSampler(0.0, 0);

        assertThat(decide(never, remote(true, true))).isEqualTo(SamplingDecision.DROP);
        assertThat(decide(new CallerCappedSampler(0.0, 1), remote(true, true)))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void spanInsideOasis_followsItsParent() {
        CallerCappedSampler sampler = new CallerCappedSampler(0.0, 0);

        assertThat(decide(sampler, remote(true, false))).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(sampler, remote(false, false))).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void newTrace_isSampledByTheRatio() {
        assertThat(decide(new CallerCappedSampler(1.0, 0), Context.root())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(new CallerCappedSampler(0.0, 0), Context.root())).isEqualTo(SamplingDecision.DROP);
    }
}
