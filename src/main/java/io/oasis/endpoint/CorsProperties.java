package io.oasis.endpoint;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.cors}: which browser apps, served from other origins, may call the endpoints.
 *
 * @param allowedOrigins   e.g. https://app.example.com, or patterns such as https://*.example.com; empty: no
 *                         cross-origin call is allowed (CORS off)
 * @param paths            the request paths it applies to (servlet URL patterns)
 * @param allowedMethods   methods a page may use
 * @param allowedHeaders   request headers a page may send
 * @param exposedHeaders   response headers a page may read
 * @param allowCredentials whether the browser sends cookies and HTTP auth (then origins must be listed, not *)
 * @param maxAge           how long a browser may reuse a preflight answer
 */
@ConfigurationProperties("oasis.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("/api/*") List<String> paths,
                             @DefaultValue("GET") List<String> allowedMethods,
                             @DefaultValue({"Authorization", "Accept", "Accept-Language", "Content-Type"})
                             List<String> allowedHeaders,
                             @DefaultValue({"Oasis-Degraded", "Server-Timing", "Retry-After", "RateLimit",
                                 "RateLimit-Policy", "Oasis-Trace-Id"}) List<String> exposedHeaders,
                             @DefaultValue("false") boolean allowCredentials,
                             @DefaultValue("10m") Duration maxAge) {
}
