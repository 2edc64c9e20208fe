package io.oasis.upstream.component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.observe.RequestContext;
import io.oasis.observe.Tracing;
import io.oasis.upstream.Upstreams;
import io.oasis.upstream.armour.Armour;
import io.oasis.upstream.armour.CallScheduler;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code upstream:} component: a call to an upstream of {@code oasis.upstreams} that fills one part of the
 * endpoint's answer, through the {@link Armour}. {@code upstream:orders?part=orders&path=/users/{userId}/orders}.
 */
@Component("upstream")
@org.springframework.stereotype.Component("upstream")
public class UpstreamComponent extends DefaultComponent {

    private final Upstreams upstreams;
    private final Armour armour;
    private final ObjectMapper json;
    private final Tracing tracing;
    private final CallScheduler clock;
    private final RequestContext context;
    private final AtomicInteger order = new AtomicInteger();
    private final List<UpstreamEndpoint> endpoints = new CopyOnWriteArrayList<>();

    public UpstreamComponent(Upstreams upstreams, Armour armour, ObjectMapper json, Tracing tracing,
                             CallScheduler clock, RequestContext context) {
        this.context = context;
        this.upstreams = upstreams;
        this.armour = armour;
        this.json = json;
        this.tracing = tracing;
        this.clock = clock;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String route = getCamelContext().getCamelContextExtension().getCreateRoute();
        UpstreamEndpoint endpoint = new UpstreamEndpoint(uri, this, remaining, order.getAndIncrement(), route);
        setProperties(endpoint, parameters);
        endpoint.resolve(upstreams, json);
        endpoints.add(endpoint);
        return endpoint;
    }

    /** Every upstream call the routes made, for the startup checks. */
    public List<UpstreamEndpoint> calls() {
        return endpoints;
    }

    void forget(UpstreamEndpoint endpoint) {
        endpoints.remove(endpoint);
    }

    Armour armour() {
        return armour;
    }

    Tracing tracing() {
        return tracing;
    }

    RequestContext context() {
        return context;
    }

    CallScheduler clock() {
        return clock;
    }
}
