package io.oasis.cache;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.oasis.testkit.Http;
import io.oasis.testkit.OasisInstance;
import io.oasis.testkit.RedisProcess;
import io.oasis.testkit.UpstreamStubs;
import io.oasis.upstream.Upstreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acknowledged means done: an invalidation the admin API answers 202 for has reached Redis and every instance; one
 * Redis did not take is answered as not applied and retried until Redis does; an instance that missed the message
 * finds out from the fleet's count of invalidations and drops its local copies.
 */
class InvalidationAcknowledgedIT {

    private static final String ADMIN_TOKEN = "acknowledged-admin-token";
    private static final RedisProcess REDIS = new RedisProcess().start();
    private static OasisInstance one;
    private static OasisInstance two;

    @BeforeAll
    static void startBoth() {
        Map<String, String> fleet = Map.of(
                "oasis.cache.redis.enabled", "true",
                "oasis.cache.redis.uri", REDIS.uri(),
                "oasis.cache.admin-token", ADMIN_TOKEN,
                "oasis.upstreams.profile.cache.ttl", "60s",
                // one slow command keeps reads away from Redis for long: what an invalidation must not be kept from
                "oasis.cache.redis.retry-after", "30s",
                "oasis.cache.redis.generation-check", "500ms");
        one = OasisInstance.start(fleet);
        two = OasisInstance.start(fleet);
    }

    @AfterAll
    static void stopAll() {
        one.close();
        two.close();
        REDIS.stop();
    }

    @BeforeEach
    void healthy() {
        UpstreamStubs.healthy();
        REDIS.start();
        redis(r -> r.flushall());
        // a flushed Redis is a new epoch: both have noticed (and dropped their tiers) before a test begins
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String[] fleet = new String[1];
            redis(r -> fleet[0] = r.get("oasis:generation:epoch") + ":" + (r.get("oasis:generation") == null ? "0"
                    : r.get("oasis:generation")));
            return fleet[0].equals(invalidation(one).heardGeneration())
                    && fleet[0].equals(invalidation(two).heardGeneration());
        });
        for (OasisInstance instance : List.of(one, two)) {
            profileCache(instance).invalidateAll();
        }
    }

    private static CacheInvalidation invalidation(OasisInstance instance) {
        return instance.bean(CacheInvalidation.class);
    }

    private static double missed(OasisInstance instance) {
        String line = instance.get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith("oasis_cache_invalidations_missed_total")).findFirst().orElse("x 0");
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static void redis(java.util.function.Consumer<io.lettuce.core.api.sync.RedisCommands<String, String>> use) {
        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            use.accept(connection.sync());
        }
    }

    /** Redis itself answers again (the pause is over) while one still leaves it alone. */
    private static boolean redisAnswersAtOnce() {
        long start = System.nanoTime();
        redis(r -> r.ping());
        return System.nanoTime() - start < 20_000_000L;
    }

    private static UpstreamCache profileCache(OasisInstance instance) {
        return instance.bean(Upstreams.class).all().get("profile").cache();
    }

    private static boolean holds(OasisInstance instance, String user) {
        return profileCache(instance).local("profile:/profile/users/" + user) != null;
    }

    private static void bothHold(String user) {
        for (OasisInstance instance : List.of(one, two)) {
            assertThat(instance.get("/api/dashboard?userId=" + user).statusCode()).isEqualTo(200);
        }
        assertThat(holds(one, user) && holds(two, user)).as("both hold the profile of " + user).isTrue();
    }

    private static HttpResponse<String> invalidateTag(OasisInstance instance, String tag) {
        return Http.send(Http.request(instance.port(), "/admin/cache/invalidate")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"" + tag + "\",\"reason\":\"test\"}")).build());
    }

    @Test
    void invalidation_whileReadsLeaveRedisAloneAfterASlowCommand_reachesTheOtherInstance() {
        bothHold("42");
        // every client of Redis waits 300 ms: one's next read times out, and one leaves Redis alone for 30 s
        redis(r -> r.clientPause(300));
        one.get("/api/dashboard?userId=7");
        await().atMost(Duration.ofSeconds(2)).until(() -> one.bean(SharedRedis.class).available() == null);
        await().atMost(Duration.ofSeconds(2)).until(InvalidationAcknowledgedIT::redisAnswersAtOnce);

        HttpResponse<String> answer = invalidateTag(one, "user:42");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(3)).until(() -> !holds(two, "42"));
    }

    @Test
    void invalidation_withRedisDown_isAnsweredAsNotApplied_andAppliedEverywhereOnceRedisIsBack() {
        bothHold("43");
        REDIS.stop();

        HttpResponse<String> answer = invalidateTag(one, "user:43");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Http.json(answer).path("type").asText()).isEqualTo("urn:oasis:problem:invalidation-pending");
        assertThat(Http.json(answer).path("pending").asInt()).isEqualTo(1);
        assertThat(holds(one, "43")).as("applied here at once").isFalse();
        assertThat(holds(two, "43")).as("the other instance has not heard of it yet").isTrue();

        REDIS.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> !holds(two, "43"));
        await().atMost(Duration.ofSeconds(5)).until(() -> one.bean(CacheInvalidation.class).pending() == 0);
    }

    @Test
    void invalidationMessage_missedByAnInstance_dropsItsLocalTierWhenItSeesTheCountMove() {
        bothHold("44");
        double before = missed(one);

        // what an instance whose subscription was down misses: the entry gone from Redis, the count moved, no message
        redis(r -> {
            r.del("oasis:c:profile:/profile/users/44");
            r.incr("oasis:generation");
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> !holds(one, "44") && !holds(two, "44"));
        assertThat(missed(one)).isEqualTo(before + 1);
    }
}
