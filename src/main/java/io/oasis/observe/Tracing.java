package io.oasis.observe;

import java.util.Collections;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Spans for Oasis' own work: one per endpoint request, continuing the caller's W3C trace context, and one per
 * upstream call, whose context goes to the upstream in {@code traceparent}. Nothing else of the caller's trace
 * headers travels on: they are dropped with every other inbound header.
 */
public final class Tracing {

    public static final String TRACE_ID_HEADER = "Oasis-Trace-Id";

    private static final TextMapGetter<HttpServletRequest> FROM_REQUEST = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.oasis");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The endpoint's span, child of the caller's trace when it sent one. */
    public Span endpoint(String endpoint, HttpServletRequest request) {
        Context parent = request == null ? Context.root() : propagator.extract(Context.root(), request, FROM_REQUEST);
        Span span = tracer.spanBuilder(endpoint).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        if (span.isRecording()) {
            span.setAttribute("oasis.endpoint", endpoint);
            if (request != null) {
                span.setAttribute("http.request.method", request.getMethod());
                span.setAttribute("url.path", request.getRequestURI());
            }
        }
        return span;
    }

    /**
     * An upstream call's span, child of its endpoint's. In a trace that is not sampled (90 % by default) nothing is
     * recorded: the call carries the endpoint's context on to the upstream without making a span of its own.
     */
    public Span call(Span endpoint, String upstream, String part) {
        if (!endpoint.getSpanContext().isSampled()) {
            return Span.wrap(endpoint.getSpanContext());
        }
        Span span = tracer.spanBuilder(upstream).setParent(Context.root().with(endpoint))
                .setSpanKind(SpanKind.CLIENT).startSpan();
        if (span.isRecording()) {
            span.setAttribute("oasis.upstream", upstream);
            span.setAttribute("oasis.part", part);
        }
        return span;
    }

    /** The W3C traceparent header value of a span, sampled or not. */
    public static String traceparent(Span span) {
        var context = span.getSpanContext();
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }
}
