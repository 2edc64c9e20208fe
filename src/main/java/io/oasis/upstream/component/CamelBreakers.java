package io.oasis.upstream.component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.Upstreams;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Every upstream's circuit breaker in Camel's registry as {@code breaker.<upstream>}, so that Camel's
 * circuit-breaker EIP around a non-HTTP call ({@code resilience4jConfiguration: {circuitBreaker:
 * breaker.inventory}}) and the {@code upstream:} calls to the same backend open and close one breaker, seen in
 * the same metrics, JMX operations and alerts.
 */
@Component
public class CamelBreakers implements CamelContextConfiguration {

    public static final String PREFIX = "breaker.";

    private final Upstreams upstreams;

    public CamelBreakers(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        for (Upstream upstream : upstreams.all().values()) {
            camelContext.getRegistry().bind(PREFIX + upstream.name(), CircuitBreaker.class,
                    upstream.protection().breaker());
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing: bound before the routes that look them up are created
    }
}
