package io.oasis.compose;

import java.util.HashMap;
import java.util.Map;

import io.oasis.endpoint.EndpointContract;
import io.oasis.endpoint.EndpointContracts;
import io.oasis.upstream.Upstreams;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * The first step of every endpoint route: checks the query parameters against the endpoint's contract (400 on bad
 * input), keeps the inbound headers that some upstream may receive, drops every other header, and starts the
 * request's {@link Composition} with its deadline. Nothing the client sent reaches an upstream except through here.
 */
@Component("beginComposition")
public class BeginComposition implements Processor {

    private final EndpointContracts contracts;
    private final String[] forwardable;

    public BeginComposition(EndpointContracts contracts, Upstreams upstreams) {
        this.contracts = contracts;
        this.forwardable = upstreams.forwardedHeaders().toArray(String[]::new);
    }

    @Override
    public void process(Exchange exchange) {
        long start = System.nanoTime();
        EndpointContract contract = contracts.get(exchange.getFromRouteId());
        Message message = exchange.getMessage();
        Map<String, String> parameters = contract.parameters(message.getHeader(Exchange.HTTP_QUERY, String.class));
        Map<String, String> headers = forwardable.length == 0 ? Map.of() : new HashMap<>(forwardable.length * 2);
        for (String name : forwardable) {
            String value = message.getHeader(name, String.class);
            if (value != null) {
                headers.put(name, value);
            }
        }
        message.getHeaders().clear();
        message.setBody(null);
        exchange.setProperty(Composition.PROPERTY, new Composition(contract.endpoint(), start,
                contract.callBudgetNanos(), parameters, headers));
    }
}
