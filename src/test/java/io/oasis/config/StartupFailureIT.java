package io.oasis.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oasis.OasisApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad setting or route stops startup, and the message names the key and the value. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIT {

    private static final String ROUTES = "classpath:routes/*.camel.yaml,classpath:routes/endpoints/*.camel.yaml,"
            + "classpath:routes/alerting/*.camel.yaml,classpath:test-routes/*.camel.yaml";

    /** Starts Oasis with valid settings, each given setting replacing its default. */
    private static ConfigurationException startupFailure(String... settings) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("server.port", "0");
        args.put("spring.main.banner-mode", "off");
        // no JMX: a test context kept alive in this JVM may hold the same MBean names (OperatorSurfacesIT)
        args.put("spring.jmx.enabled", "false");
        args.put("camel.main.jmx-enabled", "false");
        for (String upstream : List.of("profile", "orders", "recommendations", "cart", "loyalty",
                "tier-recommendations")) {
            args.put("oasis.upstreams." + upstream + ".base-url", "http://127.0.0.1:9/" + upstream);
        }
        args.put("camel.main.routes-include-pattern", ROUTES);
        for (String setting : settings) {
            args.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        }
        String[] commandLine = args.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(OasisApplication.class)
                .profiles("test").run(commandLine)) {
            throw new AssertionError("Oasis started with " + List.of(settings));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigurationException c) {
                    return c;
                }
            }
            throw new AssertionError("failed, but not with a ConfigurationException", e);
        }
    }

    @Test
    void upstream_missingBaseUrl_stopsStartupNamingTheKey(CapturedOutput output) {
        ConfigurationException e = startupFailure("oasis.upstreams.orders.base-url=");

        assertThat(e.getMessage()).startsWith("oasis.upstreams.orders.base-url = (missing): an upstream called with "
                + "upstream: needs a base URL (route dashboard parameter)");
        assertThat(output).contains("Oasis configuration is invalid: oasis.upstreams.orders.base-url = (missing)");
    }

    @Test
    void upstream_nonPositiveTimeout_stopsStartupNamingKeyAndValue() {
        ConfigurationException e = startupFailure("oasis.upstreams.loyalty.response-timeout=0s");

        assertThat(e.getMessage()).startsWith("oasis.upstreams.loyalty.response-timeout = '0ms'");
    }

    @Test
    void upstream_baseUrlWithoutHttpScheme_stopsStartup() {
        ConfigurationException e = startupFailure("oasis.upstreams.cart.base-url=ftp://cart.internal");

        assertThat(e.getMessage()).startsWith("oasis.upstreams.cart.base-url = 'ftp://cart.internal'");
    }

    @Test
    void route_namingAnUnknownUpstream_stopsStartupNamingRouteAndValue() {
        ConfigurationException e = startupFailure("camel.main.routes-include-pattern=" + ROUTES + ",classpath:bad-routes/unknown-upstream.camel.yaml");

        assertThat(e.getMessage()).startsWith("route typo-me parameter.upstream = 'profil'");
        assertThat(e.fix()).contains("oasis.upstreams.profil");
    }

    @Test
    void route_usingAnUndeclaredParameter_stopsStartup() {
        ConfigurationException e = startupFailure("camel.main.routes-include-pattern=" + ROUTES + ",classpath:bad-routes/unknown-parameter.camel.yaml");

        assertThat(e.getMessage()).contains("ERROR [unknown-parameter] bad-routes/unknown-parameter.camel.yaml "
                + "route typo-me parameter path/query/cacheTags: {userIdd} is not a parameter of endpoint typo");
    }

    @Test
    void route_callsDependingInACircle_stopStartup() {
        ConfigurationException e = startupFailure("camel.main.routes-include-pattern=" + ROUTES + ",classpath:bad-routes/circle.camel.yaml");

        assertThat(e.getMessage()).contains("ERROR [dependency-cycle] bad-routes/circle.camel.yaml route circle-a")
                .contains("a -> b -> a").contains("circle");
    }

    @Test
    void route_callUsingAPartWiredInParallelWithIt_stopsStartupNamingFileAndRoute() {
        ConfigurationException e = startupFailure("camel.main.routes-include-pattern=" + ROUTES
                + ",classpath:bad-routes/racing.camel.yaml", "oasis.endpoints.racing.parameters.userId"
                + ".pattern=[0-9]+");

        assertThat(e.getMessage()).contains("ERROR [part-not-before] bad-routes/racing.camel.yaml "
                + "route racing").contains("{loyalty.tier}: part loyalty cannot have arrived when tierRecommendations "
                + "is called");
    }

    @Test
    void circuitBreaker_timingOutOnTheCommonPool_stopsStartupNamingRouteAndStep() {
        ConfigurationException e = startupFailure("camel.main.routes-include-pattern=" + ROUTES
                + ",classpath:bad-routes/common-pool-timeout.camel.yaml");

        assertThat(e.getMessage()).contains("ERROR [breaker-common-pool] bad-routes/common-pool-timeout.camel.yaml "
                + "route pooled: pooled.breaker").contains("timeoutExecutorService: backendCalls");
    }

    @Test
    void endpointConfiguration_withoutARoute_stopsStartup() {
        ConfigurationException e = startupFailure("oasis.endpoints.dashbord.budget=300ms");

        assertThat(e.getMessage()).contains("ERROR [endpoint-route] command line oasis.endpoints.dashbord: "
                + "no route has the id dashbord");
    }

    @Test
    void personalCall_cachedWithoutTheCallersIdentityInItsKey_stopsStartupExplainingTheLeak() {
        ConfigurationException e = startupFailure("oasis.upstreams.profile.forward-headers=Accept-Language,Authorization",
                "oasis.upstreams.profile.cache.ttl=60s", "oasis.upstreams.profile.cache.vary-headers=Accept-Language");

        assertThat(e.getMessage()).startsWith("oasis.upstreams.profile.cache.vary-headers = '[Accept-Language]'")
                .contains("leaves out Authorization").contains("one caller's cached answer would be served to another");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"oasis.cache.admin-token", "oasis.cache.webhook.secret",
        "oasis.operator.password"})
    void secret_shorterThan16Characters_stopsStartupNamingTheKeyButNotTheValue(String key) {
        ConfigurationException e = startupFailure(key + "=hunter2-secret");

        assertThat(e.getMessage()).startsWith(key).contains("shorter than 16 characters").doesNotContain("hunter2");
    }

    @Test
    void alertChannel_ofUnknownType_stopsStartupNamingTheKey() {
        ConfigurationException e = startupFailure("oasis.alerting.channels.oncall.type=sms");

        assertThat(e.getMessage()).isEqualTo("oasis.alerting.channels.oncall.type = 'sms': not a channel type");
        assertThat(e.fix()).contains("mail, pagerduty, slack, webhook");
    }

    @Test
    void alertRule_onAnUnknownUpstream_stopsStartupNamingTheKey() {
        ConfigurationException e = startupFailure("oasis.alerting.rules.billing-slow.metric=latency",
                "oasis.alerting.rules.billing-slow.upstream=billing", "oasis.alerting.rules.billing-slow.percentile=95",
                "oasis.alerting.rules.billing-slow.threshold=300");

        assertThat(e.getMessage()).isEqualTo("oasis.alerting.rules.billing-slow.upstream = 'billing': no such upstream");
    }

    @Test
    void latencyObjective_offTheExactBuckets_stopsStartupNamingTheKey() {
        ConfigurationException e = startupFailure("oasis.alerting.slos.dashboard.latency.p95=120ms");

        assertThat(e.getMessage())
                .isEqualTo("oasis.alerting.slos.dashboard.latency.p95 = '120ms': not one of the latency buckets");
        assertThat(e.fix()).contains("80ms, 100ms, 150ms, 300ms, 500ms");
    }

    @Test
    void alertRule_withANegativeFor_stopsStartupNamingTheKey() {
        ConfigurationException e = startupFailure("oasis.alerting.rules.orders-errors.metric=error-rate",
                "oasis.alerting.rules.orders-errors.upstream=orders", "oasis.alerting.rules.orders-errors.threshold=5",
                "oasis.alerting.rules.orders-errors.for=-1m");

        assertThat(e.getMessage()).isEqualTo("oasis.alerting.rules.orders-errors.for = '-60s': must not be negative");
    }

    @Test
    void webhookChannel_withoutASecret_stopsStartupNamingTheKey() {
        ConfigurationException e = startupFailure("oasis.alerting.channels.hooks.type=webhook",
                "oasis.alerting.channels.hooks.url=https://hooks.example.com/oasis");

        assertThat(e.getMessage()).isEqualTo("oasis.alerting.channels.hooks.secret = (missing): missing: the "
                + "HMAC-SHA256 key receivers check the body with");
    }

    @Test
    void endpointNeedingACaller_withoutIssuerKeys_stopsStartupNamingTheKey() {
        ConfigurationException e = startupFailure("oasis.endpoints.dashboard.caller=required");

        assertThat(e.getMessage()).isEqualTo("oasis.endpoints.dashboard.caller = 'required': "
                + "no oasis.identity.jwk-set-uri to validate callers' tokens with");
    }

    @Test
    void callerClaimsToAnUpstream_cachedWithoutThemInItsKey_stopsStartup() {
        ConfigurationException e = startupFailure("oasis.identity.upstreams.profile.headers.X-User-Id=sub",
                "oasis.upstreams.profile.cache.ttl=60s", "oasis.upstreams.profile.cache.vary-headers=Accept-Language");

        assertThat(e.getMessage()).startsWith("oasis.upstreams.profile.cache.vary-headers").contains("X-User-Id");
    }

    @Test
    void identity_forAnUnknownUpstreamOrNoneAlgorithm_stopsStartupNamingKeyAndValue() {
        assertThat(startupFailure("oasis.identity.upstreams.profil.relay-token=true").getMessage())
                .startsWith("oasis.identity.upstreams.profil = 'profil': no upstream of that name is declared");
        assertThat(startupFailure("oasis.identity.jwk-set-uri=http://127.0.0.1:9/jwks",
                "oasis.identity.algorithms=none").getMessage())
                .isEqualTo("oasis.identity.algorithms = 'none': not a JWS signature algorithm");
    }

    @Test
    void route_usingACallersClaim_onAnEndpointThatTakesNoCaller_stopsStartup() {
        ConfigurationException e = startupFailure("camel.main.routes-include-pattern=" + ROUTES
                + ",classpath:identity-routes/me.camel.yaml");

        assertThat(e.getMessage()).contains("ERROR [unknown-caller] identity-routes/me.camel.yaml route me-offers")
                .contains("{caller.segment}: endpoint me takes no caller");
    }
}
