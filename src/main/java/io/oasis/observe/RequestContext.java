package io.oasis.observe;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.oasis.compose.Composition;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The request an error happened in, as it may be shown: trace id, endpoint, client, and the parameters with the
 * sensitive ones ({@code oasis.request-log.sensitive-parameters}) masked. Put into the log's MDC around an error's
 * log call, it reaches the console line (the trace id) and the error tracker (all of it); headers and bodies never.
 */
@Component
public class RequestContext {

    public static final String TRACE_ID = "traceId";
    public static final String ENDPOINT = "endpoint";
    public static final String CLIENT = "client";
    public static final String PARAMETERS = "parameters";
    /** The MDC keys this class sets, and the error tracker keeps. */
    public static final List<String> KEYS = List.of(TRACE_ID, ENDPOINT, CLIENT, PARAMETERS);

    static final String MASK = "***";

    private final Set<String> sensitive;

    public RequestContext(RequestLogProperties properties) {
        this.sensitive = new HashSet<>(properties.sensitiveParameters());
    }

    /** The parameter's value as logs may show it. */
    public String shown(String parameter, String value) {
        return sensitive.contains(parameter) ? MASK : value;
    }

    /**
     * Puts the request's context into this thread's MDC until the scope closes:
     * {@code try (var scope = context.enter(composition)) { LOG.error(...); }}. A null composition sets nothing.
     */
    public Scope enter(Composition composition) {
        if (composition == null) {
            return () -> { };
        }
        MDC.put(TRACE_ID, composition.span().getSpanContext().getTraceId());
        MDC.put(ENDPOINT, composition.endpoint());
        if (composition.client() != null) {
            MDC.put(CLIENT, composition.client());
        }
        StringBuilder parameters = new StringBuilder();
        for (Map.Entry<String, String> p : composition.parameters().entrySet()) {
            parameters.append(parameters.isEmpty() ? "" : ", ").append(p.getKey()).append('=')
                    .append(shown(p.getKey(), p.getValue()));
        }
        MDC.put(PARAMETERS, parameters.toString());
        return () -> KEYS.forEach(MDC::remove);
    }

    /** The context set by {@link #enter}; closing it takes it out of the MDC. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
