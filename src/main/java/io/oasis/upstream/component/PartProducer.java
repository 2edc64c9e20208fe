package io.oasis.upstream.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.oasis.compose.Composition;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.PartStatus;
import io.oasis.upstream.Parts;
import io.oasis.upstream.Upstream;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CircuitBreakerConstants;
import org.apache.camel.support.DefaultProducer;

/**
 * Records the message as the part: its body as JSON (a JsonNode, JSON text, or what Jackson makes of a Java value
 * such as sql:'s list of rows), or, when the circuitBreaker before it fell back, the part's policy with the reason
 * the breaker gives (open, timed out, full, or the backend's exception by its class). The part's time is its
 * branch's, from the exchange's creation.
 */
final class PartProducer extends DefaultProducer {

    private final PartEndpoint endpoint;

    PartProducer(PartEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        if (composition == null) {
            throw new IllegalStateException(endpoint.getEndpointUri()
                    + " was called outside an endpoint: the endpoint route must begin with the beginComposition step");
        }
        long nanos = TimeUnit.MILLISECONDS.toNanos(exchange.getClock().elapsed());
        Upstream backend = endpoint.backend();
        Failure failure = null;
        String reason = null;
        JsonNode value = null;
        if (Boolean.TRUE.equals(exchange.getProperty(CircuitBreakerConstants.RESPONSE_FROM_FALLBACK, Boolean.class))) {
            failure = breakerFailure(exchange);
            reason = reason(exchange, failure);
        } else {
            value = json(exchange.getMessage().getBody(), backend);
            if (value == null) {
                failure = Failure.MALFORMED;
                reason = "backend answered nothing that is JSON, or more than max-body-size";
            }
        }
        for (String flag : FLAGS) {
            exchange.removeProperty(flag); // this call's: a later circuitBreaker sets its own
        }
        boolean required = endpoint.fallback() == null;
        PartStatus status = failure == null ? PartStatus.OK : required ? PartStatus.FAILED : PartStatus.DEFAULT;
        JsonNode answered = failure == null ? value : endpoint.fallback();
        backend.metrics().record(failure, nanos);
        long offset = Math.max(0, System.nanoTime() - nanos - composition.startNanos());
        Parts.add(exchange, new PartResult(endpoint.getName(), endpoint.order(), status, answered, nanos, required,
                failure == Failure.SHORT_CIRCUITED ? 0 : 1, failure, reason, -1, backend.name(), null, offset));
        exchange.getMessage().setBody(answered);
    }

    private static final String[] FLAGS = {CircuitBreakerConstants.RESPONSE_FROM_FALLBACK,
            CircuitBreakerConstants.RESPONSE_SHORT_CIRCUITED, CircuitBreakerConstants.RESPONSE_TIMED_OUT,
            CircuitBreakerConstants.RESPONSE_REJECTED, CircuitBreakerConstants.RESPONSE_SUCCESSFUL_EXECUTION,
            CircuitBreakerConstants.RESPONSE_STATE, Exchange.EXCEPTION_CAUGHT};

    /**
     * Why the circuitBreaker fell back. With a fallback, camel-resilience4j marks every failure alike (short
     * circuited, from fallback) and keeps the exception only when a step threw one; what tells the cases apart is
     * that exception, then the breaker's state when it fell back: open, the call was not made; closed with no
     * exception, its time limiter cut it.
     */
    private static Failure breakerFailure(Exchange exchange) {
        for (Throwable t = caught(exchange); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException) {
                return Failure.TIMEOUT;
            }
            if (t instanceof CallNotPermittedException) {
                return Failure.SHORT_CIRCUITED;
            }
            if (t instanceof BulkheadFullException) {
                return Failure.REJECTED;
            }
        }
        if (caught(exchange) != null) {
            return Failure.UPSTREAM_STATUS;
        }
        String state = exchange.getProperty(CircuitBreakerConstants.RESPONSE_STATE, String.class);
        return "CLOSED".equals(state) || state == null ? Failure.TIMEOUT : Failure.SHORT_CIRCUITED;
    }

    private static Throwable caught(Exchange exchange) {
        return exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static String reason(Exchange exchange, Failure failure) {
        return switch (failure) {
            case SHORT_CIRCUITED -> "not called: circuit breaker open";
            case TIMEOUT -> "no answer within the circuit breaker's timeout";
            case REJECTED -> "not called: the circuit breaker's bulkhead is full";
            default -> {
                Throwable cause = caught(exchange);
                while (cause != null && cause.getCause() != null && cause.getCause() != cause
                        && cause.getClass().getSimpleName().isEmpty()) {
                    cause = cause.getCause();
                }
                // the class only: an exception's message may hold a query, a host or a value
                yield "backend failed" + (cause == null ? "" : ": " + cause.getClass().getSimpleName());
            }
        };
    }

    /** The body as JSON; null when it is none, or text larger than the backend's max-body-size. */
    private JsonNode json(Object body, Upstream backend) {
        ObjectMapper json = endpoint.getComponent().json();
        long max = backend.settings().maxBodySize().toBytes();
        try {
            if (body == null) {
                return null;
            }
            if (body instanceof JsonNode node) {
                return node;
            }
            if (body instanceof String text) {
                return text.length() > max ? null : json.readTree(text);
            }
            if (body instanceof byte[] bytes) {
                return bytes.length > max ? null : json.readTree(new String(bytes, StandardCharsets.UTF_8));
            }
            return json.valueToTree(body);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
