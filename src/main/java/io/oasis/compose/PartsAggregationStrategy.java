package io.oasis.compose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartResult;
import io.oasis.upstream.PartStatus;
import io.oasis.upstream.Parts;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.springframework.stereotype.Component;

/**
 * Joins the branches of an endpoint's fan-out (multicast) and its chains (enrich): the parts each branch brought
 * back are merged into the exchange that goes on, and its body becomes the JSON object of the parts so far, for
 * the steps after it (made once: when the multicast completes, or at the enrich's one merge). A branch that failed
 * with an exception (a step other than a call) becomes a failed required part named after its route, or its place
 * in the multicast, instead of Camel dropping it or turning the whole answer into an unexplained 500.
 */
@Component("partsAggregation")
public class PartsAggregationStrategy implements AggregationStrategy {

    private final ObjectMapper json;

    public PartsAggregationStrategy(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (newExchange == null) {
            return oldExchange;
        }
        Parts brought = Parts.of(newExchange);
        if (newExchange.getException() != null) {
            brought = brought.with(failedBranch(newExchange));
            newExchange.setException(null);
        }
        Exchange into = oldExchange != null ? oldExchange : newExchange;
        Parts merged = (oldExchange == null ? Parts.NONE : Parts.of(oldExchange)).merge(brought);
        into.setProperty(Parts.PROPERTY, merged);
        if (newExchange.getProperty(ExchangePropertyKey.MULTICAST_INDEX) == null) {
            // an enrich at the route's top level merges once and has no completion
            body(into);
        }
        return into;
    }

    @Override
    public void onCompletion(Exchange exchange, Exchange inputExchange) {
        if (exchange != null) {
            body(exchange);
        }
    }

    private void body(Exchange exchange) {
        ObjectNode body = json.createObjectNode();
        for (PartResult part : Parts.of(exchange).list()) {
            body.set(part.name(), part.value());
        }
        exchange.getMessage().setBody(body);
    }

    private static PartResult failedBranch(Exchange branch) {
        Composition composition = branch.getProperty(Composition.PROPERTY, Composition.class);
        String route = branch.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, String.class);
        // a route of its own (direct:) names the branch; a step inline in the endpoint's route, its place
        String name = route != null && (composition == null || !route.equals(composition.endpoint())) ? route
                : "branch" + branch.getProperty(ExchangePropertyKey.MULTICAST_INDEX, 0, Integer.class);
        long offset = composition == null ? 0 : System.nanoTime() - composition.startNanos();
        return new PartResult(name, Integer.MAX_VALUE, PartStatus.FAILED, null, 0, true, 0, Failure.INTERNAL,
                "the branch failed: " + branch.getException().getClass().getSimpleName(), -1, null, null, offset);
    }
}
