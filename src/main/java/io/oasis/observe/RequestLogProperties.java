package io.oasis.observe;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.request-log}: one JSON line per request on the logger {@code oasis.requests}.
 *
 * @param enabled             off: no line is written (metrics and traces stay)
 * @param sensitiveParameters endpoint parameters whose values are written as "***"
 * @param slowThreshold       requests slower than this are kept, with their waterfall, for the dashboard page
 * @param slowKept            how many slow requests are kept (the latest)
 */
@ConfigurationProperties("oasis.request-log")
public record RequestLogProperties(@DefaultValue("true") boolean enabled,
                                   @DefaultValue List<String> sensitiveParameters,
                                   @DefaultValue("150ms") Duration slowThreshold,
                                   @DefaultValue("20") int slowKept) {
}
