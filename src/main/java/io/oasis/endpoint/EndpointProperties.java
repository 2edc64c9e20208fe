package io.oasis.endpoint;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.endpoints.<route id>}: what an endpoint accepts and how long it may take. An endpoint route without
 * an entry gets {@code oasis.endpoint-defaults} and accepts no parameters.
 */
@ConfigurationProperties("oasis")
public record EndpointProperties(@DefaultValue Defaults endpointDefaults, Map<String, Endpoint> endpoints) {

    public EndpointProperties {
        endpoints = endpoints == null ? Map.of() : endpoints;
    }

    /**
     * @param budget         the whole request, from arrival to answer; calls still out at its end are abandoned
     * @param assemblyMargin kept back from the calls to build and write the answer
     */
    public record Defaults(@DefaultValue("1s") Duration budget, @DefaultValue("10ms") Duration assemblyMargin) {
    }

    /**
     * @param budget         null: the default budget
     * @param assemblyMargin null: the default margin
     * @param maxRate        requests per second the endpoint accepts from all clients together; the route's throttle
     *                       step reads it ({@code {{oasis.endpoints.<id>.max-rate}}}) and 429 answers announce it
     * @param targetRate     requests per second one instance is expected to carry at peak: {@code check} sizes the
     *                       upstreams' pools and bulkheads, and compares with their rate limits, at this rate
     * @param caller         off (the default: no token is looked at), optional (a valid token identifies the caller,
     *                       none is anonymous) or required (401 without a valid bearer token); oasis.identity says
     *                       whose tokens are valid
     * @param parameters     query parameters by name; any other parameter is ignored and never forwarded
     * @param cache          whole answers kept in this instance; absent: only the calls are cached
     */
    public record Endpoint(Duration budget, Duration assemblyMargin, Long maxRate, Long targetRate, String caller,
                           Map<String, Parameter> parameters, AnswerCache cache) {

        public Endpoint {
            parameters = parameters == null ? Map.of() : parameters;
        }
    }

    /**
     * Whole-answer caching: a 200 answer with no degraded part is kept for {@code ttl}, keyed by the endpoint's
     * parameters and the forwarded headers, and served with an Age header without calling anything. Any cache
     * invalidation drops every whole answer.
     *
     * @param ttl        0 turns it off
     * @param maxEntries answers kept; the least used go first
     */
    public record AnswerCache(Duration ttl, Integer maxEntries) {
    }

    /**
     * @param required  absent: 400
     * @param pattern   the whole value must match this regular expression, e.g. [0-9]{1,12}
     * @param maxLength longer values are refused before the pattern is tried
     */
    public record Parameter(@DefaultValue("true") boolean required, String pattern,
                            @DefaultValue("256") int maxLength) {
    }
}
