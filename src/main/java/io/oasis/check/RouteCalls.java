package io.oasis.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.oasis.upstream.armour.CallSpec;
import io.oasis.upstream.component.PartEndpoint;
import io.oasis.upstream.component.UpstreamComponent;
import io.oasis.upstream.component.UpstreamEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.CircuitBreakerDefinition;
import org.apache.camel.model.EnrichDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.MulticastDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.processor.SendProcessor;

/**
 * The upstream calls of the endpoint routes as their steps wire them, followed into {@code direct:} routes: for
 * each call, the parts that may have arrived on its exchange before it. A multicast's branches (and a choice's)
 * each start from what arrived before the multicast and see nothing of each other; an enrich's resource and the
 * steps of a pipeline see what came before them.
 */
final class RouteCalls {

    /** A call, the endpoint route it serves, the route it is written in, and the parts that may precede it. */
    record Call(String endpoint, String routeId, CallSpec spec, Set<String> before) {
    }

    private final CamelContext camelContext;
    private final List<Call> calls = new ArrayList<>();

    private RouteCalls(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The calls of every route that starts from platform-http. */
    static List<Call> of(CamelContext camelContext) {
        RouteCalls walker = new RouteCalls(camelContext);
        for (RouteDefinition route : ((ModelCamelContext) camelContext).getRouteDefinitions()) {
            if (route.getEndpointUrl() != null && route.getEndpointUrl().startsWith("platform-http:")) {
                walker.walk(route.getRouteId(), route.getRouteId(), route.getOutputs(), Set.of(),
                        new LinkedHashSet<>());
            }
        }
        return walker.calls;
    }

    private Set<String> walk(String endpoint, String routeId, List<ProcessorDefinition<?>> steps, Set<String> before,
                             Set<String> visiting) {
        Set<String> arrived = new LinkedHashSet<>(before);
        for (ProcessorDefinition<?> step : steps) {
            arrived = step(endpoint, routeId, step, arrived, visiting);
        }
        return arrived;
    }

    private Set<String> step(String endpoint, String routeId, ProcessorDefinition<?> step, Set<String> arrived,
                             Set<String> visiting) {
        if (step instanceof MulticastDefinition || step instanceof ChoiceDefinition) {
            Set<String> after = new LinkedHashSet<>(arrived);
            for (ProcessorDefinition<?> branch : step.getOutputs()) {
                after.addAll(step(endpoint, routeId, branch, arrived, visiting));
            }
            if (step instanceof ChoiceDefinition choice && choice.getOtherwise() != null) {
                after.addAll(walk(endpoint, routeId, choice.getOtherwise().getOutputs(), arrived, visiting));
            }
            return after;
        }
        if (step instanceof SendDefinition<?> send) {
            return call(endpoint, routeId, step, send.getEndpointUri(), arrived, visiting);
        }
        if (step instanceof EnrichDefinition enrich && enrich.getExpression() != null) {
            return call(endpoint, routeId, step, enrich.getExpression().getExpression(), arrived, visiting);
        }
        return step.getOutputs().isEmpty() ? arrived : walk(endpoint, routeId, step.getOutputs(), arrived, visiting);
    }

    private Set<String> call(String endpoint, String routeId, ProcessorDefinition<?> step, String uri,
                             Set<String> arrived, Set<String> visiting) {
        if (uri == null) {
            return arrived;
        }
        Endpoint target = endpoint(step, uri);
        if (target == null && uri.startsWith("upstream:")) {
            // a route made from a template keeps {{placeholders}} in its model: its call is the one made in it
            target = camelContext.getComponent("upstream", UpstreamComponent.class).calls().stream()
                    .filter(c -> routeId.equals(c.routeId())).findFirst().orElse(null);
        }
        if (target instanceof UpstreamEndpoint call && call.spec() != null) {
            calls.add(new Call(endpoint, routeId, call.spec(), Set.copyOf(arrived)));
            Set<String> after = new LinkedHashSet<>(arrived);
            after.add(call.spec().part());
            return after;
        }
        if (target instanceof PartEndpoint part) {
            Set<String> after = new LinkedHashSet<>(arrived);
            after.add(part.getName());
            return after;
        }
        String direct = target != null ? target.getEndpointUri() : uri;
        if (direct.startsWith("direct:")) {
            String name = direct.substring("direct:".length()).replaceFirst("^//", "").replaceFirst("\\?.*", "");
            for (RouteDefinition route : ((ModelCamelContext) camelContext).getRouteDefinitions()) {
                String from = templated(route, route.getEndpointUrl());
                if (from != null && from.replaceFirst("^direct://", "direct:").replaceFirst("\\?.*", "")
                        .equals("direct:" + name) && visiting.add(route.getRouteId())) {
                    Set<String> after = walk(endpoint, route.getRouteId(), route.getOutputs(), arrived, visiting);
                    visiting.remove(route.getRouteId());
                    return after;
                }
            }
        }
        return arrived;
    }

    /**
     * The circuitBreaker steps that time their task out without an executor of their own: camel-resilience4j then
     * runs the task with CompletableFuture.supplyAsync on the JDK's common pool, a handful of threads shared by the
     * whole JVM, where one slow backend starves every other timed step. As "route id: step id".
     */
    static List<String> commonPoolTimeouts(CamelContext camelContext) {
        List<String> found = new ArrayList<>();
        for (RouteDefinition route : ((ModelCamelContext) camelContext).getRouteDefinitions()) {
            for (CircuitBreakerDefinition breaker : org.apache.camel.model.ProcessorDefinitionHelper
                    .filterTypeInOutputs(route.getOutputs(), CircuitBreakerDefinition.class)) {
                Resilience4jConfigurationDefinition config = breaker.getResilience4jConfiguration();
                if (config != null && "true".equalsIgnoreCase(config.getTimeoutEnabled())
                        && (config.getTimeoutExecutorService() == null
                        || config.getTimeoutExecutorService().isBlank())) {
                    found.add(route.getRouteId() + ": " + breaker.getId());
                }
            }
        }
        return found;
    }

    /** A URI of a route made from a template, with the template's parameters put in. */
    private static String templated(RouteDefinition route, String uri) {
        if (uri == null || route.getTemplateParameters() == null) {
            return uri;
        }
        String resolved = uri;
        for (java.util.Map.Entry<String, Object> p : route.getTemplateParameters().entrySet()) {
            resolved = resolved.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
        }
        return resolved;
    }

    /** The endpoint a step sends to: the running processor's, else the URI's with its placeholders resolved. */
    private Endpoint endpoint(ProcessorDefinition<?> step, String uri) {
        Processor processor = step.getId() == null ? null : camelContext.getProcessor(step.getId());
        if (processor instanceof SendProcessor send) {
            return send.getDestination();
        }
        try {
            String resolved = camelContext.resolvePropertyPlaceholders(uri);
            return resolved.startsWith("upstream:") || resolved.startsWith("direct:")
                    ? camelContext.hasEndpoint(resolved) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
