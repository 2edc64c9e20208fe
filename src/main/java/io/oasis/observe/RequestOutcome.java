package io.oasis.observe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oasis.compose.Composition;
import io.oasis.compose.PartResult;
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
        ObjectNode line = line(endpoint, status, type, nanos, composition, span,
                composition != null ? composition.client() : client);
        if (enabled) {
            LOG.info(line.toString());
        }
        if (isSlow) {
            synchronized (slow) {
                slow.addFirst(line);
                while (slow.size() > slowKept) {
                    slow.removeLast();
                }
            }
        }
    }

    /** The latest slow requests, newest first, with their waterfall. */
    public List<ObjectNode> slowRequests() {
        synchronized (slow) {
            return new ArrayList<>(slow);
        }
    }

    private ObjectNode line(String endpoint, int status, String type, long nanos, Composition composition, Span span,
                            String client) {
        ObjectNode line = json.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("endpoint", endpoint);
        line.put("status", status);
        if (type != null) {
            line.put("problem", type);
        }
        line.put("ms", millis(nanos));
        if (client != null) {
            line.put("client", client);
        }
        if (span != null) {
            line.put("traceId", span.getSpanContext().getTraceId());
        }
        if (composition == null) {
            return line;
        }
        ObjectNode parameters = line.putObject("parameters");
        for (Map.Entry<String, String> p : composition.parameters().entrySet()) {
            parameters.put(p.getKey(), context.shown(p.getKey(), p.getValue()));
        }
        ArrayNode calls = line.putArray("calls");
        for (PartResult part : composition.parts()) {
            ObjectNode call = calls.addObject();
            call.put("part", part.name());
            if (part.upstream() != null) {
                call.put("upstream", part.upstream());
            }
            call.put("status", part.status().label());
            call.put("startMs", millis(part.startNanos()));
            call.put("ms", millis(part.nanos()));
            if (part.cache() != null) {
                call.put("cache", part.cache());
            }
            if (part.attempts() > 0) {
                call.put("attempts", part.attempts());
            }
            if (part.reason() != null) {
                call.put("reason", part.reason());
            }
        }
        return line;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }
}
