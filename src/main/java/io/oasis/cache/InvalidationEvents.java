package io.oasis.cache;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.config.ConfigurationException;
import org.apache.camel.builder.RouteBuilder;
import io.oasis.observe.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A route per configured event source (oasis.cache.event-sources, any Camel endpoint URI whose component is on the
 * classpath: kafka:product-changes, jms:queue:invalidations, file:/var/spool/oasis...): each message is JSON such
 * as {@code {"tags": ["product:42"], "reason": "price change"}} and invalidates on every instance. A malformed
 * message is logged and dropped; it never stops the route.
 */
@Component
public class InvalidationEvents extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationEvents.class);

    private final List<String> sources;
    private final CacheInvalidation invalidation;
    private final ObjectMapper json;

    public InvalidationEvents(CacheProperties properties, CacheInvalidation invalidation, ObjectMapper json) {
        this.sources = properties.eventSources();
        this.invalidation = invalidation;
        this.json = json;
    }

    @Override
    public void configure() {
        for (int i = 0; i < sources.size(); i++) {
            String uri = sources.get(i);
            if (uri == null || !uri.matches("[a-z][a-z0-9+.-]*:.+")) {
                throw new ConfigurationException("oasis.cache.event-sources[" + i + "]", uri,
                        "not a Camel endpoint URI", "Write e.g. kafka:product-changes?brokers=kafka:9092.");
            }
            String shown = uri.replaceAll("(?i)(password|secret|token)=[^&]*", "$1=***");
            from(uri).routeId("cache-invalidation-events-" + (i + 1))
                    .process(exchange -> {
                        byte[] body = exchange.getMessage().getBody(byte[].class);
                        try {
                            JsonNode event = json.readTree(body == null ? new byte[0] : body);
                            String reason = event.path("reason").asText("event from " + shown);
                            for (CacheInvalidation.Request request : CacheInvalidation.requests(event)) {
                                invalidation.invalidate(request, "event", reason);
                            }
                        } catch (java.io.IOException | IllegalArgumentException e) {
                            LOG.warn("ignored an invalidation event from {}: {}", shown, LogText.line(e.getMessage(), 200));
                        }
                    });
        }
    }
}
