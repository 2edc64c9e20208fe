package io.oasis.upstream.armour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.oasis.resilience.RateLimitSettings;
import io.oasis.upstream.Failure;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream's rate limit, counted in this instance (shared limits: SharedLimitsTest, ClientLimitIT). */
class RateLimitTest {

    private final ManualCallClock clock = new ManualCallClock();
    private final Upstream upstream = ManualCallClock.upstream("orders", new UpstreamSettings(null, null, null, null,
            null, null, null, null, null, null, new RateLimitSettings(2, Duration.ofMinutes(1)), null, null, null));

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void rateLimit_beyondItsRequestsPerPeriod_refusesWithoutCallingInside() {
        List<Attempted> ended = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            new RateLimit().run(ManualCallClock.fetch(upstream, clock, 1000), (f, d) -> {
                inside.add("called");
                d.accept(Attempted.failed(null, null));
            }, ended::add);
        }

        assertThat(inside).hasSize(2);
        assertThat(ended.get(2).failure()).isEqualTo(Failure.RATE_LIMITED);
        assertThat(ended.get(2).sent()).isFalse();
    }

    @Test
    void noRateLimit_callsInsideEveryTime() {
        Upstream unlimited = ManualCallClock.upstream("cart", new UpstreamSettings(null, null, null, null, null, null,
                null, null, null, null, null, null, null, null));
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            new RateLimit().run(ManualCallClock.fetch(unlimited, clock, 1000), (f, d) -> inside.add("called"), a -> { });
        }
        unlimited.close();

        assertThat(inside).hasSize(5);
    }
}
