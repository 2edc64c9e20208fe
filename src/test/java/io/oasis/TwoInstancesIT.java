package io.oasis;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.oasis.testkit.Http;
import io.oasis.testkit.OasisInstance;
import io.oasis.testkit.RedisProcess;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Oasis instances on one real Redis, as a fleet behind a load balancer runs them: what one caches the other
 * serves, an invalidation sent to one reaches both, and the per-client and per-upstream limits count for both
 * together.
 */
class TwoInstancesIT {

    private static final String ADMIN_TOKEN = "two-instances-admin-token";
    /** Per client: 6 requests a minute, so that no refill lands inside a test (one token every 10 s). */
    private static final int CLIENT_LIMIT = 6;
    /** Calls to cart, for both instances together: 3 a minute. */
    private static final int CART_LIMIT = 3;
    /** Wrong credentials one client may send to the fleet within the window. */
    private static final int MAX_FAILED = 4;

    private static final RedisProcess REDIS = new RedisProcess().start();
    private static OasisInstance one;
    private static OasisInstance two;

    @BeforeAll
    static void startBoth() {
        Map<String, String> fleet = new java.util.HashMap<>(Map.of(
                "oasis.cache.redis.enabled", "true",
                "oasis.cache.redis.uri", REDIS.uri(),
                "oasis.cache.admin-token", ADMIN_TOKEN,
                "oasis.upstreams.profile.cache.ttl", "60s",
                "oasis.shared-limits.enabled", "true",
                "oasis.client-limit.key", "header:X-Api-Key",
                "oasis.client-limit.requests", Integer.toString(CLIENT_LIMIT),
                "oasis.client-limit.per", "1m",
                "oasis.upstreams.cart.rate-limit.requests", Integer.toString(CART_LIMIT),
                "oasis.upstreams.cart.rate-limit.per", "1m"));
        // a cold instance's first commands (script loads) may take longer than the 50 ms default on a busy machine:
        // a timeout sends the instance to its local tier for retry-after, and these counts assume Redis throughout
        // (what happens without it: SharedCacheIT, SharedLimitsTest)
        fleet.put("oasis.cache.redis.command-timeout", "1s");
        fleet.put("oasis.operator.max-failed-attempts", Integer.toString(MAX_FAILED));
        one = OasisInstance.start(fleet);
        two = OasisInstance.start(fleet);
    }

    @AfterAll
    static void stopAll() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
        REDIS.stop();
    }

    @BeforeEach
    void emptyRedisAndHealthyStubs() {
        UpstreamStubs.healthy();
        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            redis.sync().flushall();
        }
        for (OasisInstance instance : List.of(one, two)) {
            instance.bean(io.oasis.upstream.Upstreams.class).all().get("profile").cache().invalidateAll();
            instance.bean(io.oasis.resilience.ClientLimiter.class).forgetAll();
            instance.bean(io.oasis.admin.FailedAttempts.class).forgetAll();
        }
    }

    private static HttpResponse<String> dashboard(OasisInstance instance, String user, String apiKey) {
        return Http.send(Http.request(instance.port(), "/api/dashboard?userId=" + user)
                .header("X-Api-Key", apiKey).GET().build());
    }

    private static int calls(String upstream) {
        return SERVER.findAll(getRequestedFor(urlPathMatching("/" + upstream + "/.*"))).size();
    }

    private static String redisGet(String key) {
        try (RedisClient client = RedisClient.create(REDIS.uri());
             StatefulRedisConnection<String, String> redis = client.connect()) {
            return redis.sync().get(key);
        }
    }

    @Test
    void cache_entryStoredThroughOne_isServedByTheOtherWithoutCallingTheUpstream() {
        assertThat(dashboard(one, "42", "key-cache").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> redisGet("oasis:c:profile:/profile/users/42") != null);

        HttpResponse<String> fromTwo = dashboard(two, "42", "key-cache");

        assertThat(fromTwo.statusCode()).isEqualTo(200);
        assertThat(Http.json(fromTwo).at("/profile/name").asText()).isEqualTo("Test User");
        assertThat(Http.json(fromTwo).at("/_meta/parts/profile/status").asText()).isEqualTo("cached");
        assertThat(calls("profile")).isEqualTo(1);
    }

    @Test
    void invalidation_sentToOne_dropsTheEntryInBoth() {
        dashboard(one, "42", "key-invalidate");
        await().atMost(Duration.ofSeconds(5)).until(() -> redisGet("oasis:c:profile:/profile/users/42") != null);
        dashboard(two, "42", "key-invalidate");
        assertThat(calls("profile")).as("both hold the entry, fetched once").isEqualTo(1);

        HttpResponse<String> invalidated = Http.send(Http.request(one.port(), "/admin/cache/invalidate")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upstream\":\"profile\",\"reason\":\"test\"}")).build());
        assertThat(invalidated.statusCode()).isEqualTo(202);

        // the other instance hears it through Redis pub/sub: its next answer is fetched again
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            int before = calls("profile");
            dashboard(two, "42", "key-invalidate");
            assertThat(calls("profile")).isEqualTo(before + 1);
        });
        int before = calls("profile");
        dashboard(one, "42", "key-invalidate");
        assertThat(calls("profile")).as("the entry two fetched again is shared, or one fetches it itself")
                .isLessThanOrEqualTo(before + 1);
        assertThat(Http.json(dashboard(one, "42", "key-invalidate")).at("/_meta/parts/profile/status").asText())
                .isEqualTo("cached");
    }

    @Test
    void clientLimit_ofNPerPeriod_holdsForBothInstancesTogether() {
        List<Supplier<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 4 * CLIENT_LIMIT; i++) {
            OasisInstance instance = i % 2 == 0 ? one : two;
            requests.add(() -> dashboard(instance, "7", "key-limited").statusCode());
        }

        List<Integer> statuses = requests.stream().map(Supplier::get).toList();

        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(CLIENT_LIMIT);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(3L * CLIENT_LIMIT);
        // alternating, each instance alone would have let 2 x CLIENT_LIMIT through
        assertThat(statuses.subList(0, 2 * CLIENT_LIMIT)).contains(429);
        assertThat(dashboard(one, "7", "another-client").statusCode()).as("other clients are unaffected")
                .isEqualTo(200);
    }

    @Test
    void upstreamLimit_ofNPerPeriod_holdsForBothInstancesTogether() {
        for (int i = 0; i < 4 * CART_LIMIT; i++) {
            dashboard(i % 2 == 0 ? one : two, Integer.toString(100 + i), "key-cart-" + i);
        }
        assertThat(calls("cart")).isEqualTo(CART_LIMIT);
    }

    private static int invalidate(OasisInstance instance, String token) {
        return Http.send(Http.request(instance.port(), "/admin/cache/invalidate")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"user:1\"}")).build()).statusCode();
    }

    @Test
    void wrongAdminTokens_spreadOverBothInstances_countTogether() {
        for (int i = 0; i < MAX_FAILED / 2; i++) {
            assertThat(invalidate(one, "guess-one-" + i)).isEqualTo(401);
            assertThat(invalidate(two, "guess-two-" + i)).isEqualTo(401);
        }

        // each instance saw only half the guesses; the fleet saw them all
        assertThat(invalidate(one, ADMIN_TOKEN)).isEqualTo(429);
        assertThat(invalidate(two, ADMIN_TOKEN)).isEqualTo(429);
    }
}
