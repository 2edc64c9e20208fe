package io.oasis.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The upstream-call route template, kept so that route files written before the {@code upstream:} component still
 * run: {@code templatedRoute} with {@code routeTemplateRef: upstream-call} makes a route {@code <endpoint>-<part>},
 * called as {@code direct:<endpoint>-<part>}, whose one step is the {@code upstream:} call with the same
 * parameters. New routes call {@code upstream:} directly (see routes/endpoints/dashboard.camel.yaml).
 */
@Component
public class UpstreamCallTemplate extends RouteBuilder {

    public static final String ID = "upstream-call";
    /** The parameters every route made from this template has (Camel does not record a route's template id). */
    public static final List<String> REQUIRED_PARAMETERS = List.of("endpoint", "part", "upstream", "path");

    /** The endpoint of each route made from the template, by route id. */
    private final Map<String, String> endpoints = new ConcurrentHashMap<>();

    @Override
    public void configure() {
        routeTemplate(ID)
                .templateParameter("endpoint", null, "id of the endpoint route this call belongs to")
                .templateParameter("part", null, "key of this call's JSON in the endpoint's answer, e.g. orders")
                .templateParameter("upstream", null, "name of the upstream under oasis.upstreams")
                .templateParameter("path", null,
                        "path on the upstream, with {parameter} and {part.field} placeholders, e.g. /users/{userId}")
                .templateOptionalParameter("query", "query with placeholders, e.g. limit=5&tier={loyalty.tier}")
                .templateParameter("policy", "required", "required, default or stale (see upstream:)")
                .templateOptionalParameter("default", "JSON that stands in for the part when policy is default")
                .templateOptionalParameter("cacheTags",
                        "tags of the cached answer, e.g. product:{productId}, tier:{response.tier}")
                .configure(rtc -> endpoints.put(rtc.getProperty("endpoint", String.class) + "-"
                        + rtc.getProperty("part", String.class), rtc.getProperty("endpoint", String.class)))
                .from("direct:{{endpoint}}-{{part}}")
                .to("upstream:{{upstream}}?part={{part}}&path=RAW({{path}})&query=RAW({{?query}})"
                        + "&policy={{policy}}&default=RAW({{?default}})&cacheTags=RAW({{?cacheTags}})");
    }

    /** The endpoint a route made from the template belongs to, or null when the route is not one of them. */
    public String endpointOf(String routeId) {
        return endpoints.get(routeId);
    }

    /** Every route made from the template. */
    public java.util.Set<String> routes() {
        return endpoints.keySet();
    }

    /** The routes made from the template for that endpoint. */
    public List<String> routesOf(String endpoint) {
        return endpoints.entrySet().stream().filter(e -> e.getValue().equals(endpoint)).map(Map.Entry::getKey)
                .toList();
    }

    /** Drops a route that was removed (a route file reloaded in development). */
    public void forget(String routeId) {
        endpoints.remove(routeId);
    }
}
