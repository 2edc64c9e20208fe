package io.oasis.resilience;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.cache.CacheProperties;
import io.oasis.cache.SharedRedis;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.OasisMetrics;
import org.springframework.stereotype.Component;

/**
 * Rate limits counted in Redis for all instances together: Bucket4j's buckets kept in Redis through Lettuce, asked
 * without blocking. A limit under {@value #EXACT_BELOW} per period is exact: every request asks Redis (concurrent
 * ones as one exchange, Bucket4j's batching). A larger one, an upstream's thousands of calls a second, is counted in
 * the instance and settled with Redis every 1 % of the limit or {@code 20 ms} (Bucket4j's delaying): a round trip per
 * settlement instead of per call, at the price of each instance overshooting by at most 1 % of the limit between
 * two settlements. When Redis cannot be asked
 * (away, slow past the command timeout, or left alone after a failure), {@code when-redis-unavailable} decides:
 * count in this instance alone, or refuse; every such decision is counted ({@code oasis.shared.limit.fallbacks}).
 */
@Component
public class SharedLimits {

    /** What a shared limit does while Redis cannot be asked. */
    public enum WhenUnavailable { LOCAL, REFUSE }

    /** A limit's answer. {@code shared}: Redis counted it; otherwise the local bucket did, or nobody (refused). */
    public record Verdict(boolean admitted, long nanosToWait, boolean shared) {
        static final Verdict ADMITTED = new Verdict(true, 0, true);

        /** Refused because Redis could not be asked and the limit fails closed: not the client's doing. */
        public boolean refusedUnchecked() {
            return !admitted && !shared && nanosToWait < 0;
        }
    }

    private static final String KEY = "oasis.shared-limits";
    /** The longest a large limit goes without settling with Redis. */
    private static final Duration SETTLE_EVERY = Duration.ofMillis(20);
    /** Requests per period from which a limit is settled with Redis in steps rather than on every request. */
    static final long EXACT_BELOW = 200;
    /** Refused unchecked (fail closed); a negative wait tells it from a local bucket's refusal. */
    private static final Verdict REFUSED = new Verdict(false, -1, false);

    private final boolean enabled;
    private final WhenUnavailable whenUnavailable;
    private final SharedRedis redis;
    private final String prefix;
    private final MeterRegistry registry;
    private volatile Manager manager;

    public SharedLimits(SharedLimitProperties properties, CacheProperties cache, SharedRedis redis,
                        MeterRegistry registry) {
        this.enabled = properties.enabled();
        this.redis = redis;
        this.registry = registry;
        this.prefix = cache.redis().keyPrefix() + "r:";
        try {
            this.whenUnavailable = WhenUnavailable.valueOf(
                    properties.whenRedisUnavailable().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEY + ".when-redis-unavailable", properties.whenRedisUnavailable(),
                    "unknown behaviour", "Use local (each instance counts alone) or refuse (fail closed).");
        }
        if (enabled && !redis.enabled()) {
            throw new ConfigurationException(KEY + ".enabled", true, "shared limits are counted in Redis, which is off",
                    "Set oasis.cache.redis.enabled: true (and its uri), or turn shared limits off.");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * One limit shared by every instance: {@code requests} per {@code per} for each key.
     *
     * @param kind    bounded meter tag and Redis key space: client or upstream
     * @param version raise it to replace the configuration stored in Redis for every instance (an operator's change)
     */
    public Limit limit(String kind, long requests, Duration per, long version, int maxKeys) {
        return new Limit(kind, requests, per, version, maxKeys);
    }

    /** One limit: a Bucket4j bucket in Redis per key, the proxies kept in a bounded map (batching lives in them). */
    public final class Limit {

        private final String kind;
        private final BucketConfiguration configuration;
        private final long requests;
        private final long version;
        private final Cache<String, AsyncBucketProxy> proxies;
        private final Counter countedLocally;
        private final Counter refused;
        private volatile Manager proxiesOf;

        private Limit(String kind, long requests, Duration per, long version, int maxKeys) {
            this.kind = kind;
            this.version = version;
            this.requests = requests;
            this.configuration = BucketConfiguration.builder()
                    .addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, per).build()).build();
            this.proxies = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(per.multipliedBy(2)).build();
            this.countedLocally = Counter.builder(OasisMetrics.SHARED_LIMIT_FALLBACKS).tag(OasisMetrics.TAG_LIMIT, kind)
                    .tag(OasisMetrics.TAG_OUTCOME, "local").description("shared limit decisions taken without Redis")
                    .register(registry);
            this.refused = Counter.builder(OasisMetrics.SHARED_LIMIT_FALLBACKS).tag(OasisMetrics.TAG_LIMIT, kind)
                    .tag(OasisMetrics.TAG_OUTCOME, "refused").description("shared limit decisions taken without Redis")
                    .register(registry);
        }

        /**
         * Takes one request for {@code key} from the bucket all instances share; {@code local} is this instance's own
         * bucket of the same limit, used while Redis cannot be asked when the fallback is LOCAL. Completes on a
         * Lettuce thread, or at once when Redis is away.
         */
        public CompletableFuture<Verdict> tryConsume(String key, Bucket local) {
            Manager m = manager();
            if (m == null) {
                return CompletableFuture.completedFuture(fallback(local));
            }
            if (proxiesOf != m) {
                // a new connection: proxies built on the old one would ask a closed connection
                proxies.invalidateAll();
                proxiesOf = m;
            }
            AsyncBucketProxy bucket = proxies.get(key, k -> m.proxies().builder()
                    .withOptimization(requests < EXACT_BELOW ? Optimizations.batching()
                            : Optimizations.delaying(new DelayParameters(requests / 100, SETTLE_EVERY)))
                    .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.PROPORTIONALLY)
                    .build(bytes(prefix + kind + ":" + k), () -> CompletableFuture.completedFuture(configuration)));
            return bucket.tryConsumeAndReturnRemaining(1).handle((probe, error) -> {
                if (error != null) {
                    redis.failed("rate limit " + kind, error);
                    return fallback(local);
                }
                redis.succeeded();
                return probe.isConsumed() ? Verdict.ADMITTED : new Verdict(false, probe.getNanosToWaitForRefill(), true);
            });
        }

        /** Forgets a key's count in Redis, for every instance. */
        public void forget(String key) {
            Manager m = manager();
            proxies.invalidate(key);
            if (m != null) {
                m.proxies().removeProxy(bytes(prefix + kind + ":" + key));
            }
        }

        private Verdict fallback(Bucket local) {
            if (whenUnavailable == WhenUnavailable.REFUSE) {
                refused.increment();
                return REFUSED;
            }
            countedLocally.increment();
            ConsumptionProbe probe = local.tryConsumeAndReturnRemaining(1);
            return new Verdict(probe.isConsumed(), probe.getNanosToWaitForRefill(), false);
        }
    }

    /** Bucket4j's proxies over the Redis connection of the moment; rebuilt when the connection changes. */
    private record Manager(RedisAsyncCommands<byte[], byte[]> commands, AsyncProxyManager<byte[]> proxies) {
    }

    private Manager manager() {
        RedisAsyncCommands<byte[], byte[]> commands = redis.available();
        if (commands == null) {
            return null;
        }
        Manager m = manager;
        if (m == null || m.commands() != commands) {
            m = new Manager(commands, Bucket4jLettuce.casBasedBuilder(commands)
                    .requestTimeout(redis.commandTimeout())
                    // a bucket idle long enough to be full again is dropped from Redis
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(1)))
                    .build().asAsync());
            manager = m;
        }
        return m;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
