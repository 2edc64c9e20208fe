package io.oasis.observe;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oasis.compose.Composition;
import io.oasis.upstream.PartResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The end of every endpoint request, whatever its answer: its metrics, its span closed, its JSON line in the
 * request log, and, when slow, its waterfall kept for the dashboard page. The line holds no header, no body and
 * no credential: endpoint, status, time, client (a header key only hashed), trace id, parameters (sensitive ones
 * masked), and each upstream call with its status, time, cache outcome and attempts.
 */
@Component
public class RequestOutcome {

    /** The logger of the request log: route it to its own appender (logback-spring.xml does). */
    public static final String LOGGER = "oasis.requests";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final EndpointMetrics metrics;
    private final ObjectMapper json;
    private final boolean enabled;
    private final RequestContext context;
    private final long slowNanos;
    private final int slowKept;
    private final Deque<ObjectNode> slow = new ArrayDeque<>();

    public RequestOutcome(EndpointMetrics metrics, ObjectMapper json, RequestLogProperties properties,
                          RequestContext context) {
        this.metrics = metrics;
        this.json = json;
        this.enabled = properties.enabled();
        this.context = context;
        this.slowNanos = properties.slowThreshold().toNanos();
        this.slowKept = properties.slowKept();
    }

    /**
     * @param composition null when the request was refused before its parts began
     * @param type        the problem type of an error answer, null otherwise
     * @param client      who asked, when known without a composition (may be null)
     */
    public void record(String endpoint, long arrivalNanos, int status, String type, boolean degraded,
                       Composition composition, Span span, String client) {
        long nanos = System.nanoTime() - arrivalNanos;
        metrics.record(endpoint, status, type, degraded, nanos);
        if (span != null) {
            if (span.isRecording()) {
                span.setAttribute("http.response.status_code", status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR, type == null ? "" : type);
                }
            }
            span.end();
        }
        boolean isSlow = nanos >= slowNanos;
        if (!enabled && !isSlow) {
            return;
        }
        String line = line(endpoint, status, type, nanos, composition, span,
                composition != null ? composition.client() : client);
        if (enabled) {
            LOG.info(line);
        }
        if (isSlow) {
            keepSlow(line);
        }
    }

    private void keepSlow(String line) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(line);
            synchronized (slow) {
                slow.addFirst(node);
                while (slow.size() > slowKept) {
                    slow.removeLast();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest slow requests, newest first, with their waterfall. */
    public List<ObjectNode> slowRequests() {
        synchronized (slow) {
            return new ArrayList<>(slow);
        }
    }

    /** The request's JSON line, written straight out (no tree: this runs for every request). */
    private String line(String endpoint, int status, String type, long nanos, Composition composition, Span span,
                        String client) {
        StringWriter out = new StringWriter(composition == null ? 192 : 1024);
        try (JsonGenerator line = json.getFactory().createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("time", Instant.now().toString());
            line.writeStringField("endpoint", endpoint);
            line.writeNumberField("status", status);
            if (type != null) {
                line.writeStringField("problem", type);
            }
            line.writeNumberField("ms", millis(nanos));
            if (client != null) {
                line.writeStringField("client", client);
            }
            if (span != null) {
                line.writeStringField("traceId", span.getSpanContext().getTraceId());
            }
            if (composition != null) {
                line.writeObjectFieldStart("parameters");
                for (Map.Entry<String, String> p : composition.parameters().entrySet()) {
                    line.writeStringField(p.getKey(), context.shown(p.getKey(), p.getValue()));
                }
                line.writeEndObject();
                line.writeArrayFieldStart("calls");
                for (PartResult part : composition.parts()) {
                    line.writeStartObject();
                    line.writeStringField("part", part.name());
                    if (part.upstream() != null) {
                        line.writeStringField("upstream", part.upstream());
                    }
                    line.writeStringField("status", part.status().label());
                    line.writeNumberField("startMs", millis(part.startNanos()));
                    line.writeNumberField("ms", millis(part.nanos()));
                    if (part.cache() != null) {
                        line.writeStringField("cache", part.cache());
                    }
                    if (part.attempts() > 0) {
                        line.writeNumberField("attempts", part.attempts());
                    }
                    if (part.reason() != null) {
                        line.writeStringField("reason", part.reason());
                    }
                    line.writeEndObject();
                }
                line.writeEndArray();
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }
}
