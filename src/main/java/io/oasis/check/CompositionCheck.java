package io.oasis.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.EndpointContracts;
import io.oasis.upstream.UpstreamCall;
import io.oasis.upstream.UpstreamCallTemplate;
import io.oasis.upstream.UrlTemplate;
import org.apache.camel.CamelContext;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Checks, once the routes exist, what no single route or setting can check alone: every configured endpoint has a
 * route, every call belongs to an endpoint route, every {parameter} is one the endpoint accepts, every {part.field}
 * names a call of the same endpoint, and no calls depend on each other in a circle. A finding stops startup
 * (on ApplicationStartedEvent: Camel ignores exceptions from its own after-start hook).
 */
@Component
public class CompositionCheck {

    private final EndpointContracts contracts;
    private final UpstreamCallTemplate template;
    private final CamelContext camelContext;

    public CompositionCheck(EndpointContracts contracts, UpstreamCallTemplate template, CamelContext camelContext) {
        this.contracts = contracts;
        this.template = template;
        this.camelContext = camelContext;
    }

    @EventListener(ApplicationStartedEvent.class)
    public void check() {
        for (String endpoint : contracts.configured()) {
            if (camelContext.getRoute(endpoint) == null) {
                throw new ConfigurationException("oasis.endpoints." + endpoint, endpoint, "no route has this id",
                        "Give the endpoint route id: " + endpoint + ", or remove the entry.");
            }
        }
        Map<String, Map<String, UpstreamCall>> byEndpoint = new HashMap<>();
        for (UpstreamCall call : template.calls()) {
            byEndpoint.computeIfAbsent(call.endpoint(), e -> new HashMap<>()).put(call.part(), call);
        }
        byEndpoint.forEach((endpoint, calls) -> {
            String where = "route " + calls.values().iterator().next().routeId() + " parameter endpoint";
            if (camelContext.getRoute(endpoint) == null) {
                throw new ConfigurationException(where, endpoint, "no endpoint route has this id",
                        "Set endpoint to the id of the route that calls direct:" + endpoint + "-<part>.");
            }
            List<String> accepted = contracts.get(endpoint).parameterNames();
            for (UpstreamCall call : calls.values()) {
                List<UrlTemplate.Placeholder> placeholders = new ArrayList<>(call.url().placeholders());
                call.tags().placeholders().stream().filter(p -> !"response".equals(p.part()))
                        .forEach(placeholders::add);
                for (UrlTemplate.Placeholder p : placeholders) {
                    String key = "route " + call.routeId() + " parameter path/query/cacheTags";
                    if (!p.fromPart() && !accepted.contains(p.name())) {
                        throw new ConfigurationException(key, "{" + p.name() + "}",
                                "not a parameter of endpoint " + endpoint + " (it accepts " + accepted + ")",
                                "Declare it under oasis.endpoints." + endpoint + ".parameters, or fix the name.");
                    }
                    if (p.fromPart() && !calls.containsKey(p.part())) {
                        throw new ConfigurationException(key, "{" + p.name() + "}",
                                "endpoint " + endpoint + " has no part named " + p.part() + " (it has "
                                        + calls.keySet() + ")", "Name an earlier call of the same endpoint.");
                    }
                }
            }
            for (UpstreamCall call : calls.values()) {
                noCycle(call, calls, new ArrayList<>());
            }
        });
    }

    /** Depth-first along the dependencies; an endpoint has a handful of calls, so no memo is needed. */
    private static void noCycle(UpstreamCall call, Map<String, UpstreamCall> calls, List<String> path) {
        if (path.contains(call.part())) {
            path.add(call.part());
            throw new ConfigurationException("route " + call.routeId() + " parameter path/query",
                    String.join(" -> ", path), "these calls wait for each other in a circle",
                    "A call may only use the values of calls that do not depend on it.");
        }
        path.add(call.part());
        for (String dependency : call.url().dependencies()) {
            noCycle(calls.get(dependency), calls, path);
        }
        path.remove(path.size() - 1);
    }
}
