package io.oasis.endpoint;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.compose.Composition;
import io.oasis.observe.OasisMetrics;
import io.oasis.observe.RequestContext;
import io.oasis.observe.RequestOutcome;
import io.oasis.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Error handling for every route, apart from the routes: a refused request becomes its problem+json; anything
 * unexpected becomes a 500 problem+json with an incident id that is also logged, and never a stack trace.
 */
@Component
public class ProblemRouteConfiguration extends RouteConfigurationBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemRouteConfiguration.class);

    private final ProblemWriter writer;
    private final LoadShedding shedding;
    private final EndpointContracts contracts;

    private final Counter throttled;

    private final RequestOutcome outcomes;
    private final RequestContext context;

    public ProblemRouteConfiguration(ProblemWriter writer, LoadShedding shedding, EndpointContracts contracts,
                                     MeterRegistry registry, RequestOutcome outcomes, RequestContext context) {
        this.outcomes = outcomes;
        this.context = context;
        this.writer = writer;
        this.shedding = shedding;
        this.contracts = contracts;
        this.throttled = Counter.builder(OasisMetrics.REQUESTS_RATE_LIMITED).tag(OasisMetrics.TAG_LIMIT, "endpoint")
                .description("requests refused with 429").register(registry);
    }

    @Override
    public void configuration() {
        routeConfiguration()
                .onException(ProblemException.class).handled(true)
                .process(this::refused)
                .end()
                .onException(ThrottlerRejectedExecutionException.class).handled(true)
                .process(this::throttled)
                .end()
                // in a branch of the fan-out, what a step throws is that branch's: it reaches partsAggregation, which
                // makes it a failed part of the answer, instead of a problem written into the branch and lost
                .onException(RejectedExecutionException.class).onWhen(ProblemRouteConfiguration::notInABranch)
                .handled(true)
                .process(e -> write(e, shedding.refuse(LoadShedding.Reason.FAN_OUT_FULL)))
                .end()
                .onException(Exception.class).onWhen(ProblemRouteConfiguration::notInABranch).handled(true)
                .process(this::unexpected)
                .end();
    }

    /** The request's own exchange, not a copy a multicast (or split) made for one of its branches. */
    private static boolean notInABranch(Exchange exchange) {
        return exchange.getProperty(ExchangePropertyKey.CORRELATION_ID) == null;
    }

    private void refused(Exchange exchange) {
        ProblemException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ProblemException.class);
        write(exchange, refused.problem());
        refused.headers().forEach(exchange.getMessage()::setHeader);
    }

    /** The endpoint's throttle step is full for this period: 429, come back in the next one. */
    private void throttled(Exchange exchange) {
        throttled.increment();
        Long maxRate = contracts.get(exchange.getFromRouteId()).maxRate();
        write(exchange, new Problem(429, "endpoint-rate-limited", "Too many requests",
                "the endpoint is at its request rate limit", Map.of()));
        Message message = exchange.getMessage();
        message.setHeader("Retry-After", "1");
        if (maxRate != null) {
            message.setHeader("RateLimit", "limit=" + maxRate + ", remaining=0, reset=1");
            message.setHeader("RateLimit-Policy", maxRate + ";w=1");
        }
    }

    private void unexpected(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String incident = UUID.randomUUID().toString();
        try (RequestContext.Scope ignored = context.enter(exchange.getProperty(Composition.PROPERTY,
                Composition.class))) {
            LOG.error("incident {} in route {}", incident, exchange.getFromRouteId(), cause);
        }
        write(exchange, new Problem(500, "internal", "Internal error",
                "Oasis failed to answer; quote the incident id when reporting it", Map.of("incident", incident)));
    }

    private void write(Exchange exchange, Problem problem) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        Span span = exchange.getProperty(Composition.SPAN_PROPERTY, Span.class);
        Long arrival = exchange.getProperty(Composition.ARRIVAL_PROPERTY, Long.class);
        if (span != null) {
            message.setHeader(Tracing.TRACE_ID_HEADER, span.getSpanContext().getTraceId());
        }
        outcomes.record(exchange.getFromRouteId(), arrival != null ? arrival : System.nanoTime(), problem.status(),
                problem.slug(), false, exchange.getProperty(Composition.PROPERTY, Composition.class), span, null);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (problem.status() == 503) {
            message.setHeader("Retry-After", LoadShedding.RETRY_AFTER);
        }
        message.setBody(writer.toBytes(problem, null));
    }
}
