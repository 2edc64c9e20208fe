package io.oasis.compose;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.springframework.stereotype.Component;

/**
 * Joins the branches of an endpoint's fan-out (multicast) and chains (enrich). Each call records its own part in
 * the shared {@link Composition}, so joining keeps the original exchange; what this adds is that a branch which
 * throws (a route step outside the upstream-call template) becomes a failed required part, instead of Camel
 * dropping it or turning the whole answer into an unexplained 500.
 */
@Component("partsAggregation")
public class PartsAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        if (newExchange != null && newExchange.getException() != null) {
            Composition composition = newExchange.getProperty(Composition.PROPERTY, Composition.class);
            if (composition != null) {
                String route = newExchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, String.class);
                String name = route != null ? route
                        : "branch" + newExchange.getProperty(ExchangePropertyKey.MULTICAST_INDEX, 0, Integer.class);
                composition.record(new PartResult(name, Integer.MAX_VALUE, PartStatus.FAILED, null, 0, true, 0,
                        Failure.INTERNAL, "the branch failed: " + newExchange.getException().getClass().getSimpleName(),
                        -1, null, null, System.nanoTime() - composition.startNanos()));
                newExchange.setException(null);
            }
        }
        return oldExchange != null ? oldExchange : newExchange;
    }
}
