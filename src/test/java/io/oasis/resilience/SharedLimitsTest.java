package io.oasis.resilience;

import java.time.Duration;
import java.util.List;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.cache.CacheProperties;
import io.oasis.cache.SharedRedis;
import io.oasis.config.ConfigurationException;
import io.oasis.observe.OasisMetrics;
import io.oasis.testkit.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Limits counted in a real Redis by two "instances" (two SharedLimits on two connections), and without Redis. */
class SharedLimitsTest {

    private static final RedisProcess REDIS = new RedisProcess().start();

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static CacheProperties redisAt(String uri, boolean enabled) {
        return new CacheProperties(List.of(), new CacheProperties.Redis(enabled, uri, Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(1), "oasis:", java.time.Duration.ofSeconds(5)), new CacheProperties.Webhook(null,
                Duration.ofMinutes(5)), null, List.of());
    }

    private SharedLimits limits(String uri, String whenUnavailable) {
        CacheProperties cache = redisAt(uri, true);
        return new SharedLimits(new SharedLimitProperties(true, whenUnavailable), cache,
                new SharedRedis(cache, registry), registry);
    }

    private static Bucket localBucket(int requests) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(requests)
                .refillGreedy(requests, Duration.ofMinutes(1)).build()).build();
    }

    private static long admitted(SharedLimits.Limit limit, String key, int tries) {
        long admitted = 0;
        for (int i = 0; i < tries; i++) {
            admitted += limit.tryConsume(key, localBucket(1000)).join().admitted() ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void limit_countedByTwoInstances_admitsNInAll() {
        SharedLimits one = limits(REDIS.uri(), "local");
        SharedLimits two = limits(REDIS.uri(), "local");
        await().atMost(Duration.ofSeconds(5)).until(() -> one.limit("client", 1, Duration.ofMinutes(1), 0, 10)
                .tryConsume("warm-up", localBucket(1)).join().shared()
                && two.limit("client", 1, Duration.ofMinutes(1), 0, 10)
                .tryConsume("warm-up", localBucket(1)).join().shared());
        SharedLimits.Limit first = one.limit("client", 5, Duration.ofMinutes(1), 0, 10);
        SharedLimits.Limit second = two.limit("client", 5, Duration.ofMinutes(1), 0, 10);

        long admitted = admitted(first, "a:10.0.0.1", 4) + admitted(second, "a:10.0.0.1", 4);

        assertThat(admitted).isEqualTo(5);
        SharedLimits.Verdict refused = second.tryConsume("a:10.0.0.1", localBucket(1000)).join();
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.shared()).isTrue();
        assertThat(refused.nanosToWait()).isPositive();
        assertThat(admitted(first, "a:10.0.0.2", 1)).as("another key has its own bucket").isEqualTo(1);
    }

    @Test
    void largeLimit_settledInSteps_overshootsByAtMostOnePercentPerInstance() {
        SharedLimits one = limits(REDIS.uri(), "local");
        SharedLimits two = limits(REDIS.uri(), "local");
        await().atMost(Duration.ofSeconds(5)).until(() -> one.limit("upstream", 1, Duration.ofMinutes(1), 0, 1)
                .tryConsume("warm-up-large", localBucket(1)).join().shared()
                && two.limit("upstream", 1, Duration.ofMinutes(1), 0, 1)
                .tryConsume("warm-up-large", localBucket(1)).join().shared());
        SharedLimits.Limit first = one.limit("upstream", 1000, Duration.ofHours(1), 0, 1);
        SharedLimits.Limit second = two.limit("upstream", 1000, Duration.ofHours(1), 0, 1);

        long admitted = 0;
        for (int i = 0; i < 1500; i++) {
            admitted += admitted(i % 2 == 0 ? first : second, "orders-large", 1);
        }

        // 1 % of 1000 unsettled per instance at most
        assertThat(admitted).isBetween(1000L, 1000L + 2 * 10);
    }

    @Test
    void limit_replacedWithANewerVersion_bindsInstancesStillHoldingTheOlder() {
        SharedLimits one = limits(REDIS.uri(), "local");
        SharedLimits two = limits(REDIS.uri(), "local");
        SharedLimits.Limit original = one.limit("upstream", 5, Duration.ofMinutes(1), 0, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> original.tryConsume("orders", localBucket(1)).join()
                .shared());

        SharedLimits.Limit lowered = two.limit("upstream", 1, Duration.ofMinutes(1), 10, 1);

        // 4 of 5 left become 4/5 of 1: nothing this minute, for the operator's instance and the other one alike
        assertThat(lowered.tryConsume("orders", localBucket(1000)).join().admitted()).isFalse();
        assertThat(admitted(original, "orders", 3)).isZero();
    }

    @Test
    void redisUnreachable_failOpen_countsInTheLocalBucketAndSaysSo() {
        SharedLimits.Limit limit = limits("redis://127.0.0.1:1", "local").limit("client", 5, Duration.ofMinutes(1),
                0, 10);
        Bucket local = localBucket(2);

        List<SharedLimits.Verdict> verdicts = List.of(limit.tryConsume("a:1", local).join(),
                limit.tryConsume("a:1", local).join(), limit.tryConsume("a:1", local).join());

        assertThat(verdicts).extracting(SharedLimits.Verdict::admitted).containsExactly(true, true, false);
        assertThat(verdicts).noneMatch(SharedLimits.Verdict::shared);
        assertThat(verdicts).noneMatch(SharedLimits.Verdict::refusedUnchecked);
        assertThat(registry.get(OasisMetrics.SHARED_LIMIT_FALLBACKS).tag("outcome", "local").counter().count())
                .isEqualTo(3);
    }

    @Test
    void redisUnreachable_failClosed_refusesWithoutCountingAndSaysSo() {
        SharedLimits.Limit limit = limits("redis://127.0.0.1:1", "refuse").limit("upstream", 5,
                Duration.ofMinutes(1), 0, 1);

        SharedLimits.Verdict verdict = limit.tryConsume("orders", localBucket(5)).join();

        assertThat(verdict.admitted()).isFalse();
        assertThat(verdict.refusedUnchecked()).isTrue();
        assertThat(registry.get(OasisMetrics.SHARED_LIMIT_FALLBACKS).tag("outcome", "refused").tag("limit", "upstream")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void sharedLimits_withoutRedis_stopStartupNamingTheKey() {
        CacheProperties cache = redisAt("redis://127.0.0.1:1", false);
        assertThatThrownBy(() -> new SharedLimits(new SharedLimitProperties(true, "local"), cache,
                new SharedRedis(cache, registry), registry))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("oasis.shared-limits.enabled");
    }

    @Test
    void sharedLimits_unknownBehaviour_stopsStartupNamingKeyAndValue() {
        CacheProperties cache = redisAt("redis://127.0.0.1:1", false);
        assertThatThrownBy(() -> new SharedLimits(new SharedLimitProperties(false, "maybe"), cache,
                new SharedRedis(cache, registry), registry))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("oasis.shared-limits.when-redis-unavailable").hasMessageContaining("maybe");
    }

    @Test
    void clientLimit_keyedByAnApiKey_keepsOnlyItsDigestInRedis() {
        SharedLimits shared = limits(REDIS.uri(), "local");
        ClientLimiter limiter = new ClientLimiter(new ClientLimitProperties("header:X-Api-Key", List.of(), 1000,
                Duration.ofMinutes(1), 10), shared, registry);
        org.springframework.mock.web.MockHttpServletRequest request =
                new org.springframework.mock.web.MockHttpServletRequest("GET", "/api/x");
        request.addHeader("X-Api-Key", "api-key-secret-4711");

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            limiter.admit(request, io.oasis.endpoint.Caller.ANONYMOUS);
            return !redisKeys("oasis:r:client:h:*").isEmpty();
        });

        assertThat(redisKeys("oasis:r:client:h:*")).singleElement().satisfies(key ->
                assertThat(key).doesNotContain("api-key-secret-4711")
                        .isEqualTo("oasis:r:client:h:" + org.apache.commons.codec.digest.DigestUtils
                                .sha256Hex("h:api-key-secret-4711")));
    }

    private static List<String> redisKeys(String pattern) {
        try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(REDIS.uri());
             var connection = client.connect()) {
            return connection.sync().keys(pattern);
        }
    }
}
