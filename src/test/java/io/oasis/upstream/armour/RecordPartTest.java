package io.oasis.upstream.armour;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.compose.Composition;
import io.oasis.endpoint.Caller;
import io.oasis.observe.OasisMetrics;
import io.oasis.upstream.Failure;
import io.oasis.upstream.Parts;
import io.oasis.upstream.TagTemplate;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamSettings;
import io.oasis.upstream.UrlTemplate;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A part's end in the upstream's call metrics: a call of the upstream's counts, a cached or skipped part does not. */
class RecordPartTest {

    private final ManualCallClock clock = new ManualCallClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Upstream upstream = new Upstream("orders", URI.create("http://127.0.0.1:9"),
            UpstreamSettings.BUILT_IN, registry, u -> null, null, null);

    @AfterEach
    void close() {
        upstream.close();
    }

    private PartCall call() {
        CallSpec spec = new CallSpec("orders", 0, upstream, UrlTemplate.parse("/o", null), true, false, null,
                TagTemplate.parse(null));
        return new PartCall(spec, new Composition("e", clock.nanoTime(), Duration.ofSeconds(1).toNanos(), Map.of(),
                Map.of(), Map.of(), Span.getInvalid(), "c", Caller.ANONYMOUS), Parts.NONE, Span.getInvalid(),
                clock.nanoTime());
    }

    private long calls(String outcome) {
        return registry.find(OasisMetrics.UPSTREAM_CALLS).tag(OasisMetrics.TAG_OUTCOME, outcome).timer().count();
    }

    @Test
    void recordPart_callsOfTheUpstreamCount_cachedAndSkippedPartsDoNot() {
        RecordPart stage = new RecordPart(clock);
        stage.run(call(), (c, d) -> {
            clock.advanceMillis(30);
            d.accept(PartOutcome.ok(TextNode.valueOf("x"), 1));
        }, o -> { });
        stage.run(call(), (c, d) -> d.accept(PartOutcome.failed(Failure.TIMEOUT, "slow", 1)), o -> { });
        stage.run(call(), (c, d) -> d.accept(PartOutcome.cached(TextNode.valueOf("x"), 5)), o -> { });
        stage.run(call(), (c, d) -> d.accept(PartOutcome.failed(Failure.DEPENDENCY, "skipped", 0)), o -> { });

        assertThat(calls("ok")).isEqualTo(1);
        assertThat(calls("timeout")).isEqualTo(1);
        assertThat(calls("skipped")).isZero();
        assertThat(registry.find(OasisMetrics.UPSTREAM_CALLS).tag(OasisMetrics.TAG_OUTCOME, "ok").timer()
                .max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(30);
    }
}
