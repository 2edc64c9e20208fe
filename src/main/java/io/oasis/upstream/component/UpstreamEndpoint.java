package io.oasis.upstream.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.upstream.TagTemplate;
import io.oasis.config.ConfigurationException;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.Upstreams;
import io.oasis.upstream.UrlTemplate;
import io.oasis.upstream.armour.CallSpec;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One upstream call as a route declares it. The message's body becomes the part's JSON, and the part (with what
 * became of the call) joins the parts the exchange carries; a failure never escapes as an exception, it becomes
 * the part's policy.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "upstream", title = "Oasis upstream call", syntax = "upstream:name",
        producerOnly = true, remote = true, category = {Category.HTTP})
public class UpstreamEndpoint extends DefaultEndpoint {

    @UriPath(description = "The upstream, a name under oasis.upstreams")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "The key of this call's JSON in the endpoint's answer, e.g. orders")
    @Metadata(required = true)
    private String part;
    @UriParam(description = "The path on the upstream, with {parameter}, {part.field} and {caller.claim}"
            + " placeholders, e.g. /users/{userId}")
    @Metadata(required = true)
    private String path;
    @UriParam(description = "The query, with placeholders, e.g. limit=5&tier={loyalty.tier}")
    private String query;
    @UriParam(description = "required: a failure fails the response (502/504); default: the part becomes the"
            + " default; stale: the cached value within stale-if-error, else the default if given, else required",
            defaultValue = "required", enums = "required,default,stale")
    private String policy = "required";
    @UriParam(name = "default", description = "The JSON that stands in for the part when it fails (policy default"
            + " or stale), e.g. []")
    private String fallbackJson;
    @UriParam(description = "Tags of the cached answer, for invalidation, e.g. product:{productId},"
            + " tier:{response.tier}")
    private String cacheTags;

    private final int order;
    private CallSpec spec;

    /** Where the call is declared, for startup failures: "route dashboard parameter". */
    private final String where;

    /** The route the call is written in; null when Camel was not creating a route. */
    private final String routeId;

    UpstreamEndpoint(String uri, UpstreamComponent component, String name, int order, String routeId) {
        super(uri, component);
        this.name = name;
        this.order = order;
        this.routeId = routeId;
        this.where = "route " + (routeId != null ? routeId : "?") + " parameter";
    }

    /** The route the call is written in (null when it was made outside a route). */
    public String routeId() {
        return routeId;
    }

    /** Checks the options and finds the upstream: a mistake is a startup failure naming the option and value. */
    void resolve(Upstreams upstreams, ObjectMapper json) {
        PartOptions.checkName(where, part);
        Upstream upstream = upstreams.get(name, where);
        if (!upstream.http()) {
            throw new ConfigurationException(Upstreams.PREFIX + name + ".base-url", null,
                    "an upstream called with upstream: needs a base URL (" + where + ")",
                    "Set it, e.g. " + Upstreams.PREFIX + name + ".base-url: http://" + name + ".internal:8080");
        }
        if (path == null) {
            throw new ConfigurationException(where + " path", null, "a call needs the path on the upstream",
                    "Add e.g. path: /users/{userId}");
        }
        UrlTemplate url;
        try {
            url = UrlTemplate.parse(path, query);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + " path/query", path + (query == null ? "" : "?" + query),
                    e.getMessage(), "Write the path as /segment/{parameter} and the query as name={parameter}&...");
        }
        boolean stale = "stale".equals(policy);
        if (!"required".equals(policy) && !"default".equals(policy) && !stale) {
            throw new ConfigurationException(where + " policy", policy, "unknown policy",
                    "Use required, default, or stale.");
        }
        JsonNode fallback = null;
        if ("default".equals(policy) || stale && fallbackJson != null) {
            fallback = PartOptions.fallback(where, fallbackJson, json);
        }
        TagTemplate tags;
        try {
            tags = TagTemplate.parse(cacheTags);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + " cacheTags", cacheTags, e.getMessage(),
                    "Separate tags with commas: product:{productId}, user:{userId}");
        }
        spec = new CallSpec(part, order, upstream, url, fallback == null, stale, fallback, tags);
    }

    /** The call as declared, its options checked. */
    public CallSpec spec() {
        return spec;
    }

    @Override
    public UpstreamComponent getComponent() {
        return (UpstreamComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new UpstreamProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("upstream: is a call, it cannot start a route (use platform-http:)");
    }

    @Override
    protected void doShutdown() throws Exception {
        getComponent().forget(this);
        super.doShutdown();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPart() {
        return part;
    }

    public void setPart(String part) {
        this.part = part;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }

    public String getPolicy() {
        return policy;
    }

    public void setPolicy(String policy) {
        this.policy = policy;
    }

    public String getDefault() {
        return fallbackJson;
    }

    public void setDefault(String fallbackJson) {
        this.fallbackJson = fallbackJson;
    }

    public String getCacheTags() {
        return cacheTags;
    }

    public void setCacheTags(String cacheTags) {
        this.cacheTags = cacheTags;
    }
}
