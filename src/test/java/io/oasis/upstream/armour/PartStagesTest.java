package io.oasis.upstream.armour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.upstream.TagTemplate;
import io.oasis.compose.Composition;
import io.oasis.endpoint.Caller;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.PartStatus;
import io.oasis.upstream.Parts;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamSettings;
import io.oasis.upstream.UrlTemplate;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-part stages of the armour and the order they run in. */
class PartStagesTest {

    private final ManualCallClock clock = new ManualCallClock();
    private final Upstream upstream = ManualCallClock.upstream("tiers", new UpstreamSettings(null, null, null, null,
            null, null, null, null, null, null, null, null, null, null));
    private final List<PartOutcome> ended = new ArrayList<>();

    @AfterEach
    void close() {
        upstream.close();
    }

    private PartCall call(String path, String fallback, Parts earlier) throws Exception {
        CallSpec spec = new CallSpec("tier", 0, upstream, UrlTemplate.parse(path, null), fallback == null, false,
                fallback == null ? null : new ObjectMapper().readTree(fallback), TagTemplate.parse(null));
        Composition composition = new Composition("e", clock.nanoTime(), Duration.ofSeconds(1).toNanos(),
                Map.of("userId", "7"), Map.of(), Map.of(), Span.getInvalid(), "c", Caller.ANONYMOUS);
        return new PartCall(spec, composition, earlier, Span.getInvalid(), clock.nanoTime());
    }

    private static PartResult loyalty(PartStatus status, String json) throws Exception {
        return new PartResult("loyalty", 0, status, json == null ? null : new ObjectMapper().readTree(json), 0, false,
                1, null, null, -1, "loyalty", null, 0);
    }

    @Test
    void dependencyGate_dependencyMissingOrFailed_notAttempted() throws Exception {
        DependencyGate gate = new DependencyGate();
        Stage.Next<PartCall, PartOutcome> inside = (c, d) -> {
            throw new AssertionError("attempted");
        };
        gate.run(call("/tiers/{loyalty.tier}", null, Parts.NONE), inside, ended::add);
        gate.run(call("/tiers/{loyalty.tier}", null, Parts.NONE.with(loyalty(PartStatus.DEFAULT, "{}"))), inside,
                ended::add);
        assertThat(ended).extracting(PartOutcome::reason).containsExactly(
                "not attempted: loyalty was not called", "not attempted: loyalty is default");
    }

    @Test
    void resolveUrl_valueFromAnEarlierPart_expandsAndEncodesIt() throws Exception {
        PartCall call = call("/tiers/{loyalty.tier}", null,
                Parts.NONE.with(loyalty(PartStatus.OK, "{\"tier\": \"gold/plus\"}")));
        new ResolveUrl().run(call, (c, d) -> d.accept(PartOutcome.ok(null, 1)), ended::add);
        assertThat(call.target()).isEqualTo("/tiers/gold%2Fplus");
    }

    @Test
    void resolveUrl_scalarMissing_notAttempted() throws Exception {
        new ResolveUrl().run(call("/tiers/{loyalty.tier}", null, Parts.NONE.with(loyalty(PartStatus.OK, "{}"))),
                (c, d) -> {
                    throw new AssertionError("attempted");
                }, ended::add);
        assertThat(ended).singleElement().satisfies(o -> assertThat(o.failure()).isEqualTo(Failure.DEPENDENCY));
    }

    @Test
    void applyPolicy_failureWithDefault_becomesTheDefault_dependencyFailure_isSkipped() throws Exception {
        PartCall withDefault = call("/t", "[]", Parts.NONE);
        new ApplyPolicy().run(withDefault, (c, d) -> d.accept(PartOutcome.failed(Failure.TIMEOUT, "slow", 1)),
                ended::add);
        new ApplyPolicy().run(withDefault, (c, d) -> d.accept(PartOutcome.failed(Failure.DEPENDENCY, "x", 0)),
                ended::add);
        new ApplyPolicy().run(call("/t", null, Parts.NONE),
                (c, d) -> d.accept(PartOutcome.failed(Failure.TIMEOUT, "slow", 1)), ended::add);
        assertThat(ended).extracting(PartOutcome::status)
                .containsExactly(PartStatus.DEFAULT, PartStatus.SKIPPED, PartStatus.FAILED);
        assertThat(ended.get(0).value().isArray()).isTrue();
        assertThat(ended.get(2).value()).isNull();
    }

    @Test
    void chain_runsStagesOutsideIn_andTheirAnswersInsideOut() {
        List<String> seen = new ArrayList<>();
        Stage<String, String> outer = (c, next, done) -> {
            seen.add("outer in");
            next.run(c, r -> {
                seen.add("outer out " + r);
                done.accept(r);
            });
        };
        Stage<String, String> inner = (c, next, done) -> {
            seen.add("inner " + c);
            done.accept("answer");
        };
        Stage.chain(List.of(outer, inner)).run("call", r -> seen.add("done " + r));
        assertThat(seen).containsExactly("outer in", "inner call", "outer out answer", "done answer");
    }

    @Test
    void fetching_runsTheAttemptsAndEndsWithTheirAnswerAndCount() throws Exception {
        PartCall call = call("/t", null, Parts.NONE);
        call.target("/t");
        Stage.Next<Fetch, Attempted> attempts = (fetch, done) -> {
            fetch.attempted();
            fetch.attempted();
            done.accept(Attempted.failed(Failure.CONNECTION, "connection refused"));
        };

        new Fetching(attempts, clock).run(call, null, ended::add);

        assertThat(ended).singleElement().satisfies(o -> {
            assertThat(o.failure()).isEqualTo(Failure.CONNECTION);
            assertThat(o.attempts()).isEqualTo(2);
        });
    }
}
