package io.oasis.check;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.check}: the bounds the routes and settings are checked against at every startup and by
 * {@code java -jar oasis.jar check}.
 *
 * @param maxCallsPerRequest upstream requests one endpoint request may cause at worst, every retry sent
 *                           (attempts x fan-out); more turns an upstream's bad minute into a storm
 * @param poolHeadroom       a pool or bulkhead holds at least target req/s x latency x this
 * @param routeSchema        validate every route file against Camel's YAML DSL schema, what Camel's editors and
 *                           Kaoto read: on in {@code oasis.jar check} (run it in CI); off at startup by default, as
 *                           Camel runs what fails it and the check cost a starting instance ~0.3 s and 20-25 MB of
 *                           peak RSS in the bench (docs/performance.md)
 */
@ConfigurationProperties("oasis.check")
public record CheckProperties(@DefaultValue("24") int maxCallsPerRequest, @DefaultValue("1.2") double poolHeadroom,
                              @DefaultValue("false") boolean routeSchema) {
}
