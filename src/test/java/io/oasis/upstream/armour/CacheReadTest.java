package io.oasis.upstream.armour;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.cache.CacheSettings;
import io.oasis.cache.SharedRedis;
import io.oasis.cache.UpstreamCache;
import io.oasis.compose.Composition;
import io.oasis.endpoint.Caller;
import io.oasis.testkit.Fixtures;
import io.oasis.testkit.ManualClock;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartStatus;
import io.oasis.upstream.Parts;
import io.oasis.upstream.TagTemplate;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamSettings;
import io.oasis.upstream.UrlTemplate;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache stage on two clocks the test moves (the cache's wall clock, the calls' nanosecond clock): hits, one
 * call for concurrent misses, a waiter's own deadline, a background refresh, stale-if-error, and an aborted
 * request landing the call it shared.
 */
class CacheReadTest {

    private final ManualCallClock calls = new ManualCallClock();
    private final ManualClock wall = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SharedRedis redis = new SharedRedis(Fixtures.NO_REDIS, registry);
    private final Upstream upstream = new Upstream("profile", URI.create("http://127.0.0.1:9"),
            new UpstreamSettings(null, null, null, null, null, null, null, null, null, null, null,
                    new CacheSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60), 100, null,
                            List.of()), null, null).over(UpstreamSettings.BUILT_IN),
            registry, u -> new UpstreamCache("profile", u.settings().cache(), List.of(), redis, wall,
            new ObjectMapper(), registry), null, null);
    private final CacheRead stage = new CacheRead(calls);
    private final List<Consumer<PartOutcome>> inFlight = new ArrayList<>();
    private int inside;
    private final Stage.Next<PartCall, PartOutcome> upstreamCall = (call, done) -> {
        inside++;
        inFlight.add(done);
    };

    @AfterEach
    void close() {
        upstream.close();
        redis.destroy();
    }

    private PartCall call(boolean stale) {
        CallSpec spec = new CallSpec("profile", 0, upstream, UrlTemplate.parse("/users/{userId}", null), true, stale,
                null, TagTemplate.parse(null));
        Composition composition = new Composition("e", calls.nanoTime(), Duration.ofMillis(400).toNanos(),
                Map.of("userId", "7"), Map.of(), Map.of(), Span.getInvalid(), "c", Caller.ANONYMOUS);
        PartCall call = new PartCall(spec, composition, Parts.NONE, Span.getInvalid(), calls.nanoTime());
        call.target("/users/7");
        return call;
    }

    private List<PartOutcome> run(PartCall call) {
        List<PartOutcome> ended = new ArrayList<>();
        stage.run(call, upstreamCall, ended::add);
        return ended;
    }

    @Test
    void miss_callsOnceAndStores_thenHitCallsNothing() {
        List<PartOutcome> first = run(call(false));
        inFlight.get(0).accept(PartOutcome.ok(TextNode.valueOf("v1"), 1));
        List<PartOutcome> second = run(call(false));

        assertThat(first).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(PartStatus.OK));
        assertThat(second).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(PartStatus.CACHED);
            assertThat(o.value().asText()).isEqualTo("v1");
        });
        assertThat(inside).isEqualTo(1);
    }

    @Test
    void concurrentMisses_shareOneCall_andBothGetItsAnswer() {
        List<PartOutcome> first = run(call(false));
        List<PartOutcome> second = run(call(false));
        assertThat(inside).isEqualTo(1);

        inFlight.get(0).accept(PartOutcome.ok(TextNode.valueOf("v1"), 1));

        assertThat(first).extracting(o -> o.value().asText()).containsExactly("v1");
        assertThat(second).extracting(o -> o.value().asText()).containsExactly("v1");
    }

    @Test
    void waiter_sharedCallSlowerThanItsBudget_givesUpAtItsOwnDeadline() {
        run(call(false));
        List<PartOutcome> waiter = run(call(false));

        calls.advanceMillis(399);
        assertThat(waiter).isEmpty();
        calls.advanceMillis(1);

        assertThat(waiter).singleElement().satisfies(o -> {
            assertThat(o.failure()).isEqualTo(Failure.TIMEOUT);
            assertThat(o.reason()).endsWith("(shared call)");
        });
    }

    @Test
    void withinStaleWhileRevalidate_answersCachedAtOnceAndRefreshesOnceInTheBackground() {
        run(call(false));
        inFlight.get(0).accept(PartOutcome.ok(TextNode.valueOf("v1"), 1));
        wall.advance(Duration.ofSeconds(12));

        List<PartOutcome> answered = run(call(false));
        run(call(false));

        assertThat(answered).singleElement().satisfies(o -> assertThat(o.value().asText()).isEqualTo("v1"));
        assertThat(inside).isEqualTo(2); // the first call, and one refresh for both requests
        inFlight.get(1).accept(PartOutcome.ok(TextNode.valueOf("v2"), 1));
        assertThat(run(call(false))).extracting(o -> o.value().asText()).containsExactly("v2");
    }

    @Test
    void policyStale_callFailsAfterTheTtl_answersTheOldValueWithinStaleIfError() {
        run(call(true));
        inFlight.get(0).accept(PartOutcome.ok(TextNode.valueOf("v1"), 1));
        wall.advance(Duration.ofSeconds(30));

        List<PartOutcome> failed = run(call(true));
        inFlight.get(1).accept(PartOutcome.failed(Failure.UPSTREAM_STATUS, "upstream answered 503", 1));

        assertThat(failed).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(PartStatus.STALE);
            assertThat(o.value().asText()).isEqualTo("v1");
            assertThat(o.reason()).isEqualTo("upstream answered 503");
        });
    }

    @Test
    void abortedRequest_landsTheCallItShared_soItsWaiterIsNotLeftToItsDeadline() {
        PartCall starter = call(false);
        starter.onAbort(e -> { });
        run(starter);
        List<PartOutcome> waiter = run(call(false));

        starter.abort(new IllegalStateException("a bug"));

        assertThat(waiter).singleElement().satisfies(o -> assertThat(o.failure()).isEqualTo(Failure.INTERNAL));
    }
}
