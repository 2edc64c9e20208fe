package io.oasis.resilience;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.client-limit}: how many requests one client may make, whatever the endpoint.
 *
 * @param key            who a client is: {@code address} (the client's IP, X-Forwarded-For believed only from
 *                       trusted proxies), {@code principal} (the caller's validated token subject, oasis.identity), or {@code header:<Name>}
 *                       (e.g. header:X-Api-Key); a request without that principal or header is keyed by address
 * @param trustedProxies addresses or CIDR ranges whose X-Forwarded-For is believed, e.g. 10.0.0.0/8
 * @param requests       per client per {@code per}; 0 turns the limit off
 * @param maxClients     buckets kept; the least recently seen clients are forgotten first
 */
@ConfigurationProperties("oasis.client-limit")
public record ClientLimitProperties(@DefaultValue("address") String key, @DefaultValue List<String> trustedProxies,
                                    @DefaultValue("0") int requests, @DefaultValue("1s") Duration per,
                                    @DefaultValue("100000") int maxClients) {
}
