package io.oasis.observe;

import java.util.List;

import io.oasis.upstream.UpstreamCallTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * camel-micrometer's route timers ({@code camel_route_policy_seconds}) for the routes people write, not for the
 * upstream-call routes made from {@link UpstreamCallTemplate}: Oasis measures each call already (upstream latency,
 * part status), and eight timers per dashboard cost 6 % of its CPU (JFR, docs/performance.md). Camel's own
 * exclude pattern matches route ids, which a call route shares in shape with any other route.
 */
@Component
public class RouteTimers implements CamelContextConfiguration {

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        List<RoutePolicyFactory> factories = camelContext.getRoutePolicyFactories();
        for (int i = 0; i < factories.size(); i++) {
            if (factories.get(i) instanceof MicrometerRoutePolicyFactory micrometer) {
                factories.set(i, new SkipCalls(micrometer));
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing: the factory is replaced before any route is created
    }

    /** Whether a route was made from the upstream-call template: it has that template's required parameters. */
    static boolean isCall(NamedNode route) {
        return route instanceof RouteDefinition definition && definition.isCreatedFromTemplate()
                && definition.getTemplateParameters() != null
                && definition.getTemplateParameters().keySet().containsAll(UpstreamCallTemplate.REQUIRED_PARAMETERS);
    }

    private record SkipCalls(MicrometerRoutePolicyFactory timers) implements RoutePolicyFactory {
        @Override
        public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
            return isCall(route) ? null : timers.createRoutePolicy(camelContext, routeId, route);
        }
    }
}
