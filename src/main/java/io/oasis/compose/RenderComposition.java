package io.oasis.compose;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oasis.cache.AnswerCache;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import io.oasis.observe.PartMetrics;
import io.oasis.observe.RequestOutcome;
import io.oasis.observe.Tracing;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.Parts;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * The last step of every endpoint route: from the parts the message carries, one JSON object with a key per part
 * and the manifest under {@code _meta}, serialised once; or, when a required part failed, 502 (504 if it timed out) as problem+json with
 * the same manifest. Header {@code Oasis-Degraded} names every part that is not fresh.
 */
@Component("renderComposition")
public class RenderComposition implements Processor {

    public static final String DEGRADED_HEADER = "Oasis-Degraded";
    public static final String META = "_meta";
    public static final String SERVER_TIMING = "Server-Timing";

    private final ObjectMapper json;
    private final ProblemWriter problems;
    private final PartMetrics metrics;
    private final AnswerCache answers;
    private final RequestOutcome outcomes;

    public RenderComposition(ObjectMapper json, ProblemWriter problems, PartMetrics metrics, AnswerCache answers,
                             RequestOutcome outcomes) {
        this.outcomes = outcomes;
        this.json = json;
        this.problems = problems;
        this.metrics = metrics;
        this.answers = answers;
    }

    @Override
    public void process(Exchange exchange) {
        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        List<PartResult> parts = Parts.of(exchange).list();
        composition.rendered(parts);
        ObjectNode manifest = manifest(composition, parts);
        PartResult failed = null;
        boolean timedOut = false;
        StringJoiner degraded = new StringJoiner(", ");
        for (PartResult part : parts) {
            metrics.count(composition.endpoint(), part.name(), part.status());
            if (!part.ok()) {
                degraded.add(part.name());
            }
            if (part.failsResponse()) {
                failed = failed == null ? part : failed;
                timedOut |= part.failure() != null && part.failure().isTimeout();
            }
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        if (degraded.length() > 0) {
            message.setHeader(DEGRADED_HEADER, degraded.toString());
        }
        message.setHeader(SERVER_TIMING, serverTiming(parts));
        message.setHeader(Tracing.TRACE_ID_HEADER, composition.span().getSpanContext().getTraceId());
        if (failed != null) {
            int status = timedOut ? 504 : 502;
            Problem problem = new Problem(status, timedOut ? "upstream-timeout" : "upstream-failed",
                    timedOut ? "A required upstream did not answer in time" : "A required upstream failed",
                    "required part '" + failed.name() + "': " + failed.reason(), Map.of());
            ObjectNode body = problems.toJson(problem, null);
            body.set(META, manifest);
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            message.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
            message.setBody(problems.bytes(body));
            outcomes.record(composition.endpoint(), composition.startNanos(), status, problem.slug(), true,
                    composition, composition.span(), null);
            return;
        }
        ObjectNode body = json.createObjectNode();
        for (PartResult part : parts) {
            body.set(part.name(), part.value());
        }
        body.set(META, manifest);
        byte[] bytes = problems.bytes(body);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(bytes);
        if (composition.answerKey() != null && degraded.length() == 0) {
            answers.put(composition.endpoint(), composition.answerKey(), bytes);
        }
        outcomes.record(composition.endpoint(), composition.startNanos(), 200, null, degraded.length() > 0,
                composition, composition.span(), null);
    }

    /**
     * {@code Server-Timing: profile;dur=51.2;desc="ok", orders;dur=80.1;desc="cached"}: each part's time and
     * outcome, which browsers' developer tools draw as a waterfall.
     */
    static String serverTiming(List<PartResult> parts) {
        StringBuilder timing = new StringBuilder(parts.size() * 32);
        for (PartResult part : parts) {
            if (timing.length() > 0) {
                timing.append(", ");
            }
            timing.append(part.name()).append(";dur=").append(millis(part.nanos())).append(";desc=\"")
                    .append(part.status().label()).append('"');
        }
        return timing.toString();
    }

    private ObjectNode manifest(Composition composition, List<PartResult> parts) {
        ObjectNode meta = json.createObjectNode();
        meta.put("endpoint", composition.endpoint());
        meta.put("ms", millis(System.nanoTime() - composition.startNanos()));
        ObjectNode manifest = meta.putObject("parts");
        for (PartResult part : parts) {
            ObjectNode entry = manifest.putObject(part.name());
            entry.put("status", part.status().label());
            entry.put("ms", millis(part.nanos()));
            if (part.attempts() > 1) {
                entry.put("attempts", part.attempts());
            }
            if (part.ageMillis() >= 0) {
                entry.put("ageMs", part.ageMillis());
            }
            if (part.reason() != null) {
                entry.put("reason", part.reason());
            }
        }
        return meta;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }
}
