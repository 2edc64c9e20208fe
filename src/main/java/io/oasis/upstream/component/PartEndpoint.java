package io.oasis.upstream.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.config.ConfigurationException;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.Upstreams;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** One part made from whatever the steps before it produced; see {@link PartComponent}. */
@UriEndpoint(firstVersion = "1.0.0", scheme = "part", title = "Oasis part", syntax = "part:name", producerOnly = true,
        category = {Category.CORE})
public class PartEndpoint extends DefaultEndpoint {

    @UriPath(description = "The key of this part's JSON in the endpoint's answer, e.g. stock")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "The backend, a name under oasis.upstreams (a base-url is not needed): its metrics, and"
            + " its breaker as breaker.<name> for the circuitBreaker before this step")
    @Metadata(required = true)
    private String upstream;
    @UriParam(description = "required: a failure fails the response (502/504); default: the part becomes the default",
            defaultValue = "required", enums = "required,default")
    private String policy = "required";
    @UriParam(name = "default", description = "The JSON that stands in for the part when it fails, e.g. []")
    private String fallbackJson;

    private final int order;
    private final String where;
    private Upstream backend;
    private JsonNode fallback;

    PartEndpoint(String uri, PartComponent component, String name, int order, String routeId) {
        super(uri, component);
        this.name = name;
        this.order = order;
        this.where = "route " + (routeId != null ? routeId : "?") + " parameter";
    }

    void resolve(Upstreams upstreams, ObjectMapper json) {
        PartOptions.checkName(where, name);
        if (upstream == null) {
            throw new ConfigurationException(where + " upstream", null, "a part names the backend it comes from",
                    "Add e.g. upstream: inventory, declared under oasis.upstreams (no base-url needed).");
        }
        backend = upstreams.get(upstream, where);
        if (!"required".equals(policy) && !"default".equals(policy)) {
            throw new ConfigurationException(where + " policy", policy, "unknown policy for a part: endpoint",
                    "Use required or default.");
        }
        fallback = "default".equals(policy) ? PartOptions.fallback(where, fallbackJson, json) : null;
    }

    int order() {
        return order;
    }

    Upstream backend() {
        return backend;
    }

    /** The JSON that stands in when the part fails; null when it is required. */
    JsonNode fallback() {
        return fallback;
    }

    @Override
    public PartComponent getComponent() {
        return (PartComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new PartProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("part: ends a branch, it cannot start a route");
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUpstream() {
        return upstream;
    }

    public void setUpstream(String upstream) {
        this.upstream = upstream;
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
}
