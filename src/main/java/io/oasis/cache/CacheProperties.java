package io.oasis.cache;

import java.time.Duration;
import java.util.List;

import io.oasis.config.Secrets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.cache}: what is shared by every upstream's cache. The per-upstream settings (ttl, windows, size) are
 * under {@code oasis.upstreams.<name>.cache}.
 *
 * @param identityHeaders headers that say who the caller is: an upstream that receives one of them has it in its
 *                        cache key, or Oasis does not start
 * @param redis           the shared tier
 * @param webhook         invalidation by signed webhook
 * @param adminToken      bearer token of the admin API (POST /admin/cache/invalidate); from the environment
 * @param eventSources    Camel endpoint URIs whose messages invalidate tags (e.g. kafka:product-changes with
 *                        camel-kafka on the classpath); each message is JSON with "tags" (or one "tag")
 */
@ConfigurationProperties("oasis.cache")
public record CacheProperties(
        @DefaultValue({"Authorization", "Cookie", "Proxy-Authorization"}) List<String> identityHeaders,
        @DefaultValue Redis redis,
        @DefaultValue Webhook webhook,
        String adminToken,
        @DefaultValue List<String> eventSources) {

    public CacheProperties {
        Secrets.requireStrong("oasis.cache.admin-token", adminToken);
        if (webhook != null) {
            Secrets.requireStrong("oasis.cache.webhook.secret", webhook.secret());
        }
    }

    /**
     * @param enabled        off: each instance caches alone
     * @param uri            e.g. redis://127.0.0.1:6379/0
     * @param commandTimeout a Redis read slower than this counts as a miss
     * @param connectTimeout opening a connection and its handshake (a cold JVM needs more than a command)
     * @param retryAfter     after a failure, Redis is left alone this long before it is tried again
     * @param keyPrefix      every key, tag set, lock and channel Oasis writes starts with it
     * @param generationCheck how often an instance compares the fleet's invalidation count with what it heard: one
     *                        missed (its subscription was down) makes it drop its local tier
     */
    public record Redis(@DefaultValue("false") boolean enabled, @DefaultValue("redis://127.0.0.1:6379") String uri,
                        @DefaultValue("50ms") Duration commandTimeout, @DefaultValue("1s") Duration connectTimeout,
                        @DefaultValue("1s") Duration retryAfter,
                        @DefaultValue("oasis:") String keyPrefix,
                        @DefaultValue("5s") Duration generationCheck) {
    }

    /**
     * @param secret    HMAC-SHA256 key shared with the source systems; from the environment. Absent: the webhook
     *                  answers 404
     * @param tolerance a signature older or newer than this is refused, as is one seen before within it
     */
    public record Webhook(String secret, @DefaultValue("5m") Duration tolerance) {
    }
}
