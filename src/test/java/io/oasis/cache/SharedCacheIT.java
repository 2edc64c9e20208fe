package io.oasis.cache;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.oasis.testkit.OasisIT;
import io.oasis.testkit.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis tier against a real redis-server process: used, lost, and used again without a restart. */
@TestPropertySource(properties = {
    "oasis.upstreams.profile.cache.ttl=60s",
    "oasis.cache.redis.enabled=true",
    "oasis.cache.redis.retry-after=200ms",
    "oasis.upstreams.recommendations.cache.ttl=2s",
    "oasis.upstreams.recommendations.cache.stale-while-revalidate=0s",
    "oasis.upstreams.recommendations.cache.stale-if-error=0s"})
class SharedCacheIT extends OasisIT {

    private static final RedisProcess REDIS = new RedisProcess().start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("oasis.cache.redis.uri", REDIS::uri);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @BeforeEach
    void emptyCaches() {
        REDIS.start();
        upstreams.all().get("profile").cache().invalidateAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> health().contains("\"redis\":{\"status\":\"UP\""));
        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            redis.sync().flushall();
        }
    }

    @Autowired
    CacheInvalidation invalidation;

    private int profileCalls() {
        return SERVER.findAll(getRequestedFor(urlPathMatching("/profile/.*"))).size();
    }

    private String health() {
        return get("/actuator/health").body();
    }

    private String redisGet(String key) {
        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            return redis.sync().get(key);
        }
    }

    @Test
    void answer_isStoredInRedis_andReadBackWhenThisInstanceHasLostIt() {
        get("/api/dashboard?userId=42");
        await().atMost(Duration.ofSeconds(2)).until(() -> redisGet("oasis:c:profile:/profile/users/42") != null);
        assertThat(redisGet("oasis:c:profile:/profile/users/42")).contains("Test User");

        upstreams.all().get("profile").cache().invalidateAll();
        HttpResponse<String> response = get("/api/dashboard?userId=42");

        assertThat(json(response).path("_meta").path("parts").path("profile").path("status").asText())
                .isEqualTo("cached");
        assertThat(profileCalls()).isEqualTo(1);
    }

    @Test
    void redisStops_requestsStillSucceed_healthSaysSo_andRedisBackIsUsedAgain() {
        REDIS.stop();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/api/dashboard?userId=" + (100 + i));
            assertThat(response.statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(health()).contains("\"redis\":{\"status\":\"DEGRADED\"");
            assertThat(get("/actuator/prometheus").body()).contains("oasis_cache_redis_up 0.0");
        });
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);

        REDIS.start();

        // a new user each time: an answer fetched while Redis was still away stays in the local tier only
        java.util.concurrent.atomic.AtomicInteger user = new java.util.concurrent.atomic.AtomicInteger(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            int id = user.incrementAndGet();
            get("/api/dashboard?userId=" + id);
            assertThat(redisGet("oasis:c:profile:/profile/users/" + id)).isNotNull();
        });
        assertThat(health()).contains("\"redis\":{\"status\":\"UP\"");
    }

    @Test
    void health_redisBackWithoutAnyTraffic_saysUpAgain() {
        REDIS.stop();
        get("/api/dashboard?userId=300");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> health().contains("\"redis\":{\"status\":\"DEGRADED\""));

        REDIS.start();

        // no request in between: the health check itself asks Redis
        await().atMost(Duration.ofSeconds(5))
                .until(() -> health().contains("\"redis\":{\"status\":\"UP\""));
    }

    @Test
    void invalidationByTag_clearsRedisToo() {
        get("/api/dashboard?userId=42");
        await().atMost(Duration.ofSeconds(2)).until(() -> redisGet("oasis:c:profile:/profile/users/42") != null);

        upstreams.all().get("profile").cache().invalidateAll();
        invalidation.invalidate(new CacheInvalidation.Request(CacheInvalidation.Scope.TAG, "user:42"),
                "test", "tag");

        await().atMost(Duration.ofSeconds(2)).until(() -> redisGet("oasis:c:profile:/profile/users/42") == null);
        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(2);
    }

    @Test
    void invalidationPublishedByAnotherInstance_dropsThisInstancesCopy() {
        get("/api/dashboard?userId=42");
        await().atMost(Duration.ofSeconds(2)).until(() -> redisGet("oasis:c:profile:/profile/users/42") != null);

        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            // what another instance publishes after clearing Redis itself
            redis.sync().del("oasis:c:profile:/profile/users/42");
            redis.sync().publish("oasis:invalidate", "{\"origin\":\"another-instance\",\"scope\":\"TAG\","
                    + "\"value\":\"user:42\",\"source\":\"api\",\"reason\":\"test\"}");
        }

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(upstreams.all().get("profile").cache().local("profile:/profile/users/42")).isNull());
        get("/api/dashboard?userId=42");
        assertThat(profileCalls()).isEqualTo(2);
    }

    private long tagMembers(String tag) {
        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            return redis.sync().zcard("oasis:tz:" + tag);
        }
    }

    @Test
    void tagSet_sharedByEveryEntry_keepsOnlyTheLiveEntries_andIsDeletedWhole() {
        for (int user = 500; user < 540; user++) {
            get("/api/dashboard?userId=" + user);
        }
        // at most the 40 entries (fewer if the first had expired before the last was stored)
        await().atMost(Duration.ofSeconds(2)).until(() -> tagMembers("recommendations") > 0);
        assertThat(tagMembers("recommendations")).isLessThanOrEqualTo(40);

        // once those entries have expired in Redis (2 s), the next store trims them from the tag's set
        await().atMost(Duration.ofSeconds(5))
                .until(() -> redisGet("oasis:c:recommendations:/recommendations/users/539?limit=4") == null);
        get("/api/dashboard?userId=600");
        await().atMost(Duration.ofSeconds(2)).until(() -> tagMembers("recommendations") == 1);

        assertThat(redisGet("oasis:c:recommendations:/recommendations/users/600?limit=4")).isNotNull();
        invalidation.invalidate(new CacheInvalidation.Request(CacheInvalidation.Scope.TAG, "recommendations"),
                "test", "tag");
        assertThat(tagMembers("recommendations")).isZero();
        assertThat(redisGet("oasis:c:recommendations:/recommendations/users/600?limit=4")).isNull();
    }
}
