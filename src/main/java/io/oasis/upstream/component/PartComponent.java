package io.oasis.upstream.component;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.upstream.Upstreams;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code part:} component: the message as it stands becomes one part of the endpoint's answer, whatever Camel
 * endpoint produced it ({@code sql:}, {@code jms:}, a bean), with the part's policy, its manifest entry and its
 * upstream's metrics. {@code part:stock?upstream=inventory&policy=default&default=[]}, after the steps that call
 * the backend (usually a {@code circuitBreaker} on {@code breaker.inventory}).
 */
@Component("part")
@org.springframework.stereotype.Component("part")
public class PartComponent extends DefaultComponent {

    /** After every upstream: call in the answer's order; parts of Camel endpoints come after them. */
    private static final int FIRST_ORDER = 1_000_000;

    private final Upstreams upstreams;
    private final ObjectMapper json;
    private final AtomicInteger order = new AtomicInteger(FIRST_ORDER);

    public PartComponent(Upstreams upstreams, ObjectMapper json) {
        this.upstreams = upstreams;
        this.json = json;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String route = getCamelContext().getCamelContextExtension().getCreateRoute();
        PartEndpoint endpoint = new PartEndpoint(uri, this, remaining, order.getAndIncrement(), route);
        setProperties(endpoint, parameters);
        endpoint.resolve(upstreams, json);
        return endpoint;
    }

    ObjectMapper json() {
        return json;
    }
}
