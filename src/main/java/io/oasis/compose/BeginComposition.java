package io.oasis.compose;

import java.util.HashMap;
import java.util.Map;

import io.oasis.cache.AnswerCache;
import io.oasis.endpoint.ArrivalTime;
import io.oasis.endpoint.Caller;
import io.oasis.endpoint.Callers;
import io.oasis.endpoint.EndpointContract;
import io.oasis.endpoint.EndpointContracts;
import io.oasis.endpoint.LoadShedding;
import io.oasis.endpoint.ProblemException;
import io.oasis.observe.RequestOutcome;
import io.oasis.observe.Tracing;
import io.oasis.resilience.ClientLimiter;
import io.oasis.resilience.FaultInjection;
import io.oasis.upstream.Upstreams;
import io.opentelemetry.api.trace.Span;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * The first step of every endpoint route: checks the query parameters against the endpoint's contract (400 on bad
 * input), keeps the inbound headers that some upstream may receive, drops every other header, and starts the
 * request's {@link Composition} with its deadline, counted from the request's arrival. A request that already
 * waited half its budget for a thread is refused with 503, a client over its rate limit with 429. Nothing the
 * client sent reaches an upstream except through here.
 */
@Component("beginComposition")
public class BeginComposition implements Processor {

    private final EndpointContracts contracts;
    private final LoadShedding shedding;
    private final ClientLimiter clients;
    private final FaultInjection faults;
    private final AnswerCache answers;
    private final Tracing tracing;
    private final RequestOutcome outcomes;
    private final String[] forwardable;
    private final Callers callers;

    public BeginComposition(EndpointContracts contracts, LoadShedding shedding, ClientLimiter clients,
                            FaultInjection faults, AnswerCache answers, Tracing tracing, RequestOutcome outcomes,
                            Upstreams upstreams, Callers callers) {
        this.callers = callers;
        this.answers = answers;
        this.tracing = tracing;
        this.outcomes = outcomes;
        this.contracts = contracts;
        this.shedding = shedding;
        this.clients = clients;
        this.faults = faults;
        // the headers that carry the caller come from the validated token only, never from the request
        this.forwardable = upstreams.forwardedHeaders().stream().filter(h -> !callers.headerNames().contains(h))
                .toArray(String[]::new);
    }

    @Override
    public void process(Exchange exchange) {
        EndpointContract contract = contracts.get(exchange.getFromRouteId());
        Message message = exchange.getMessage();
        HttpServletRequest request = message instanceof PlatformHttpMessage http ? http.getRequest() : null;
        long start = ArrivalTime.of(request);
        Span span = tracing.endpoint(contract.endpoint(), request);
        exchange.setProperty(Composition.ARRIVAL_PROPERTY, start);
        exchange.setProperty(Composition.SPAN_PROPERTY, span);
        if (System.nanoTime() - start > contract.budgetNanos() / 2) {
            // queued for half its budget: answering would take what is left from requests that can still be served
            throw new ProblemException(shedding.refuse(LoadShedding.Reason.WAITED_TOO_LONG));
        }
        Caller caller = callers.authenticate(contract.caller(), request);
        clients.admit(request, caller);
        Map<String, String> parameters = contract.parameters(message.getHeader(Exchange.HTTP_QUERY, String.class));
        Map<String, String> told = callers.headers(caller);
        Map<String, String> headers = forwardable.length == 0 && told.isEmpty() ? Map.of()
                : new HashMap<>((forwardable.length + told.size()) * 2);
        for (String name : forwardable) {
            // from the request's headers only: Camel's message headers also hold the query parameters, and
            // ?accept-language=zz must not reach an upstream as a header (nor vary its cache key)
            String value = request == null ? message.getHeader(name, String.class) : request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        headers.putAll(told);
        message.getHeaders().clear();
        // the validated parameters, for the route's own steps (choice, filter, log): ${header.userId}
        parameters.forEach(message::setHeader);
        message.setBody(null);
        Composition composition = new Composition(contract.endpoint(), start, contract.callBudgetNanos(), parameters,
                headers, faults.faults(request), span, clients.logKey(request, caller), caller);
        exchange.setProperty(Composition.PROPERTY, composition);
        if (answers.caches(contract.endpoint()) && composition.faultFree()) {
            String key = AnswerCache.key(contract.endpoint(), parameters, headers, caller);
            AnswerCache.Answer cached = answers.get(contract.endpoint(), key);
            if (cached != null) {
                message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                message.setHeader(Exchange.CONTENT_TYPE, "application/json");
                message.setHeader("Age", Long.toString(answers.ageSeconds(cached)));
                message.setHeader("Server-Timing", "answer-cache;desc=\"hit\"");
                message.setHeader(Tracing.TRACE_ID_HEADER, span.getSpanContext().getTraceId());
                message.setBody(cached.body());
                outcomes.record(contract.endpoint(), start, 200, null, false, composition, span, null);
                exchange.setRouteStop(true);
                return;
            }
            composition.answerKey(key);
        }
    }
}
