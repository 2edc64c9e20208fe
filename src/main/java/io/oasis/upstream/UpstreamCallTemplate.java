package io.oasis.upstream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.cache.TagTemplate;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.RequestContext;
import io.oasis.observe.Tracing;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The upstream-call route template: every upstream call goes through it, so every call gets the same armour in
 * the same order. Routes instantiate it with {@code templatedRoute} (see routes/endpoints/dashboard.camel.yaml);
 * the route id is {@code <endpoint>-<part>}, called as {@code direct:<endpoint>-<part>}.
 */
@Component
public class UpstreamCallTemplate extends RouteBuilder {

    public static final String ID = "upstream-call";
    /** The parameters every route made from this template has (Camel does not record a route's template id). */
    public static final List<String> REQUIRED_PARAMETERS = List.of("endpoint", "part", "upstream", "path");

    private final Upstreams upstreams;
    private final ObjectMapper json;
    private final CallScheduler scheduler;
    private final Tracing tracing;
    private final RequestContext context;
    private final AtomicInteger order = new AtomicInteger();
    private final List<UpstreamCall> calls = new CopyOnWriteArrayList<>();

    public UpstreamCallTemplate(Upstreams upstreams, ObjectMapper json, CallScheduler scheduler, Tracing tracing,
                                RequestContext context) {
        this.tracing = tracing;
        this.context = context;
        this.upstreams = upstreams;
        this.json = json;
        this.scheduler = scheduler;
    }

    @Override
    public void configure() {
        routeTemplate(ID)
                .templateParameter("endpoint", null, "id of the endpoint route this call belongs to")
                .templateParameter("part", null, "key of this call's JSON in the endpoint's answer, e.g. orders")
                .templateParameter("upstream", null, "name of the upstream under oasis.upstreams")
                .templateParameter("path", null,
                        "path on the upstream, with {parameter} and {part.field} placeholders, e.g. /users/{userId}")
                .templateOptionalParameter("query", "query with placeholders, e.g. limit=5&tier={loyalty.tier}")
                .templateParameter("policy", "required",
                        "required: a failure fails the response (502/504); default: the part becomes `default`; "
                                + "stale: the cached value within stale-if-error, else `default` if given, else required")
                .templateOptionalParameter("default", "JSON that stands in for the part when policy is default")
                .templateOptionalParameter("cacheTags",
                        "tags of the cached answer, e.g. product:{productId}, tier:{response.tier}")
                .templateBean("call", UpstreamCall.class, this::create)
                .from("direct:{{endpoint}}-{{part}}")
                .process("{{call}}");
    }

    private JsonNode fallback(String where, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException(where + " parameter default", null,
                    "policy default needs the JSON that stands in for the part",
                    "Add e.g. default: '[]' or default: '{\"items\": []}'.");
        }
        JsonNode fallback;
        try {
            fallback = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(where + " parameter default", text, "not valid JSON",
                    "Quote it in YAML, e.g. default: '[]'.");
        }
        if (fallback.isNull()) {
            throw new ConfigurationException(where + " parameter default", text,
                    "a default of null would answer null data", "Give an empty value of the part's shape, e.g. '[]'.");
        }
        return fallback;
    }

    /** Every call of the routes in force, for the startup checks. */
    public List<UpstreamCall> calls() {
        return calls;
    }

    /** Drops a call whose route was removed (a route file reloaded in development). */
    public void forget(String routeId) {
        calls.removeIf(c -> c.routeId().equals(routeId));
    }

    private UpstreamCall create(RouteTemplateContext rtc) {
        String endpoint = rtc.getProperty("endpoint", String.class);
        String part = rtc.getProperty("part", String.class);
        String route = endpoint + "-" + part;
        String where = "route " + route;
        if (!part.matches("[a-z][A-Za-z0-9]*") || part.equals(UrlTemplate.Placeholder.CALLER)) {
            throw new ConfigurationException(where + " parameter part", part,
                    "a part is the key of its JSON in the answer: a letter, then letters and digits, not 'caller'",
                    "Name it in camelCase, e.g. tierRecommendations.");
        }
        Upstream upstream = upstreams.get(rtc.getProperty("upstream", String.class), where + " parameter");
        String path = rtc.getProperty("path", String.class);
        String query = rtc.getProperty("query", String.class);
        UrlTemplate url;
        try {
            url = UrlTemplate.parse(path, query);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + " parameter path/query", path + (query == null ? "" : "?" + query),
                    e.getMessage(), "Write the path as /segment/{parameter} and the query as name={parameter}&...");
        }
        String policy = rtc.getProperty("policy", String.class);
        String fallbackText = rtc.getProperty("default", String.class);
        boolean stale = policy.equals("stale");
        if (!policy.equals("required") && !policy.equals("default") && !stale) {
            throw new ConfigurationException(where + " parameter policy", policy, "unknown policy",
                    "Use required, default, or stale.");
        }
        JsonNode fallback = null;
        if (policy.equals("default") || stale && fallbackText != null) {
            fallback = fallback(where, fallbackText);
        }
        boolean required = fallback == null;
        TagTemplate tags;
        try {
            tags = TagTemplate.parse(rtc.getProperty("cacheTags", String.class));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + " parameter cacheTags", rtc.getProperty("cacheTags",
                    String.class), e.getMessage(), "Separate tags with commas: product:{productId}, user:{userId}");
        }
        UpstreamCall call = new UpstreamCall(route, part, order.getAndIncrement(), upstream, url, required, stale,
                fallback, tags, json, scheduler, tracing, context);
        // a route file reloaded in development makes its calls again: the new one replaces the old
        calls.removeIf(c -> c.routeId().equals(route));
        calls.add(call);
        return call;
    }
}
