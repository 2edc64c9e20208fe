package io.oasis.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.Caller;
import io.oasis.endpoint.ProblemException;
import io.oasis.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientLimiterTest {

    private static ClientLimiter limiter(String key, List<String> trusted, int requests) {
        return new ClientLimiter(new ClientLimitProperties(key, trusted, requests, Duration.ofSeconds(10), 1000),
                Fixtures.instanceLimits(), new SimpleMeterRegistry());
    }

    private static MockHttpServletRequest from(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/x");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    @Test
    void address_untrustedPeer_ignoresTheForwardedForItSends() {
        ClientLimiter limiter = limiter("address", List.of("10.0.0.0/8"), 1);

        assertThat(limiter.address("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void address_trustedProxies_takesTheFirstUntrustedHopFromTheRight() {
        ClientLimiter limiter = limiter("address", List.of("10.0.0.0/8", "192.168.1.7"), 1);

        assertThat(limiter.address("10.1.2.3", "198.51.100.1, 203.0.113.5, 192.168.1.7")).isEqualTo("203.0.113.5");
        assertThat(limiter.address("10.1.2.3", "10.9.9.9")).isEqualTo("10.1.2.3");
        assertThat(limiter.address("::1", "203.0.113.5")).isEqualTo("::1");
    }

    @Test
    void address_forwardedHopThatIsNoAddress_isNotTakenForTheClient() {
        ClientLimiter limiter = limiter("address", List.of("10.0.0.0/8"), 1);

        assertThat(limiter.address("10.1.2.3", "x".repeat(10_000))).isEqualTo("10.1.2.3");
        assertThat(limiter.address("10.1.2.3", "203.0.113.5, evil\nline")).isEqualTo("10.1.2.3");
        assertThat(limiter.address("10.1.2.3", "2001:db8::7")).isEqualTo("2001:db8::7");
    }

    @Test
    void admit_overTheLimit_is429WithRetryAfterAndRateLimitHeaders() {
        ClientLimiter limiter = limiter("address", List.of(), 2);
        limiter.admit(from("203.0.113.9", null), Caller.ANONYMOUS);
        limiter.admit(from("203.0.113.9", null), Caller.ANONYMOUS);

        assertThatThrownBy(() -> limiter.admit(from("203.0.113.9", null), Caller.ANONYMOUS))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(429);
                    assertThat(e.headers()).containsKeys("Retry-After", "RateLimit")
                            .containsEntry("RateLimit-Policy", "2;w=10");
                    assertThat(Long.parseLong(e.headers().get("Retry-After"))).isBetween(1L, 10L);
                });
        limiter.admit(from("203.0.113.10", null), Caller.ANONYMOUS);
    }

    @Test
    void client_headerKey_separatesClientsBehindOneAddressAndFallsBackToIt() {
        ClientLimiter limiter = limiter("header:X-Api-Key", List.of(), 1);
        MockHttpServletRequest a = from("203.0.113.9", null);
        a.addHeader("X-Api-Key", "team-a");
        MockHttpServletRequest b = from("203.0.113.9", null);
        b.addHeader("X-Api-Key", "team-b");

        assertThat(limiter.client(a, Caller.ANONYMOUS)).isNotEqualTo(limiter.client(b, Caller.ANONYMOUS));
        assertThat(limiter.client(from("203.0.113.9", null), Caller.ANONYMOUS)).isEqualTo("a:203.0.113.9");
    }

    @Test
    void limiter_badSettings_stopStartupNamingTheKey() {
        assertThatThrownBy(() -> limiter("cookie", List.of(), 1)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("oasis.client-limit.key = 'cookie'");
        assertThatThrownBy(() -> limiter("address", List.of("10.0.0.0/33"), 1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("oasis.client-limit.trusted-proxies = '10.0.0.0/33'");
    }

    @Test
    void sharedLimit_redisUnreachableAndFailingClosed_answers503NotTheClientsFault() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        io.oasis.cache.CacheProperties cache = new io.oasis.cache.CacheProperties(List.of(),
                new io.oasis.cache.CacheProperties.Redis(true, "redis://127.0.0.1:1", Duration.ofMillis(50),
                        Duration.ofSeconds(1), Duration.ofSeconds(1), "oasis:", java.time.Duration.ofSeconds(5)),
                new io.oasis.cache.CacheProperties.Webhook(null, Duration.ofMinutes(5)), null, List.of());
        SharedLimits refusing = new SharedLimits(new SharedLimitProperties(true, "refuse"), cache,
                new io.oasis.cache.SharedRedis(cache, registry), registry);
        ClientLimiter limiter = new ClientLimiter(new ClientLimitProperties("address", List.of(), 5,
                Duration.ofSeconds(1), 10), refusing, registry);

        assertThatThrownBy(() -> limiter.admit(from("203.0.113.9", null), Caller.ANONYMOUS))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(503);
                    assertThat(e.problem().slug()).isEqualTo("rate-limit-unavailable");
                    assertThat(e.headers()).containsEntry("Retry-After", "1");
                });
    }

    @Test
    void client_principalKey_isTheValidatedTokensSubjectNotAnyHeader() {
        ClientLimiter limiter = limiter("principal", List.of(), 1);
        Caller alice = new Caller("alice", Map.of(), "token-a");

        assertThat(limiter.client(from("203.0.113.9", null), alice)).isEqualTo("p:alice");
        assertThat(limiter.client(from("203.0.113.9", null), Caller.ANONYMOUS)).isEqualTo("a:203.0.113.9");
    }

    @Test
    void headerKey_aValueAsLongAsAHeaderMayBe_isRememberedAsItsDigest_andStillForgettable() {
        ClientLimiter limiter = limiter("header:X-Api-Key", List.of(), 5);
        String huge = "k".repeat(15_000);
        MockHttpServletRequest request = from("203.0.113.9", null);
        request.addHeader("X-Api-Key", huge);

        limiter.admit(request, Caller.ANONYMOUS);

        assertThat(limiter.longestKey()).isLessThanOrEqualTo(66);
        assertThat(limiter.forget(huge)).isTrue();
        assertThat(limiter.clients()).isZero();
    }
}
