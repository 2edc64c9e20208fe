package io.oasis.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oasis.resilience.RetrySettings;
import io.oasis.config.ConfigurationException;
import io.oasis.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How an upstream's settings are inherited and checked. */
class UpstreamsTest {

    private static UpstreamSettings only(String baseUrl) {
        return new UpstreamSettings(null, baseUrl, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    private static UpstreamSettings withTimeout(String preset, String baseUrl, Duration responseTimeout) {
        return new UpstreamSettings(preset, baseUrl, null, responseTimeout, null, null, null, null, null, null, null,
                null, null, null);
    }

    private static Upstreams upstreams(UpstreamSettings defaults, Map<String, UpstreamSettings> presets,
                                       Map<String, UpstreamSettings> upstreams) {
        return Fixtures.upstreams(new UpstreamProperties(defaults, presets, upstreams));
    }

    @Test
    void settings_ownOverPresetOverDefaultsOverBuiltIn() {
        UpstreamSettings defaults = new UpstreamSettings(null, null, Duration.ofMillis(100), Duration.ofSeconds(2),
                List.of("Accept-Language"), null, null, null,
                new RetrySettings(3, null, null, null, null, null), null, null, null, null, null);
        Upstreams all = upstreams(defaults, Map.of("fast", withTimeout(null, null, Duration.ofMillis(300))), Map.of(
                "a", withTimeout("fast", "http://a.internal", null),
                "b", withTimeout("fast", "http://b.internal", Duration.ofMillis(150)),
                "c", only("http://c.internal")));
        try {
            UpstreamSettings a = all.get("a", "test").settings();
            assertThat(a.responseTimeout()).isEqualTo(Duration.ofMillis(300));
            assertThat(a.connectTimeout()).isEqualTo(Duration.ofMillis(100));
            assertThat(a.retry().attempts()).isEqualTo(3);
            assertThat(a.retry().baseDelay()).isEqualTo(UpstreamSettings.BUILT_IN.retry().baseDelay());
            assertThat(a.forwardHeaders()).containsExactly("Accept-Language");
            assertThat(all.get("b", "test").settings().responseTimeout()).isEqualTo(Duration.ofMillis(150));
            assertThat(all.get("c", "test").settings().responseTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(all.get("c", "test").settings().pool().maxConnections()).isEqualTo(256);
        } finally {
            all.destroy();
        }
    }

    @Test
    void upstream_unknownPreset_stopsStartupNamingIt() {
        assertThatThrownBy(() -> upstreams(null, Map.of(), Map.of("a", withTimeout("fsat", "http://a", null))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("oasis.upstreams.a.preset = 'fsat': no preset of that name");
    }

    @Test
    void preset_badValue_stopsStartupNamingThePresetKey() {
        UpstreamSettings bad = new UpstreamSettings(null, null, null, null, null, null, null, null,
                new RetrySettings(null, null, null, 2.0, null, null), null, null, null, null, null);

        assertThatThrownBy(() -> upstreams(null, Map.of("fast", bad), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("oasis.upstream-presets.fast.retry.budget-ratio = '2.0': must be between 0 and 1");
    }

    @Test
    void defaults_badValue_stopsStartupNamingTheDefaultsKey() {
        UpstreamSettings bad = new UpstreamSettings(null, null, null, null, null, null, 0, null, null, null, null,
                null, null, null);

        assertThatThrownBy(() -> upstreams(bad, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("oasis.upstream-defaults.max-in-flight = '0': must be at least 1");
    }

    @Test
    void get_unknownUpstream_namesTheRouteAndTheDeclaredOnes() {
        Upstreams all = upstreams(null, Map.of(), Map.of("orders", only("http://orders.internal")));
        try {
            assertThatThrownBy(() -> all.get("order", "route shop-orders parameter"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("route shop-orders parameter.upstream = 'order': no upstream of that name is declared")
                    .satisfies(e -> assertThat(((ConfigurationException) e).fix()).contains("[orders]"));
        } finally {
            all.destroy();
        }
    }
}
