package io.oasis.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oasis.endpoint.ArrivalTime;
import io.oasis.endpoint.Callers;
import io.oasis.endpoint.EndpointContracts;
import io.oasis.endpoint.EndpointProperties;
import io.oasis.endpoint.LoadShedding;
import io.oasis.endpoint.ProblemException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oasis.observe.Tracing;
import io.oasis.resilience.ClientLimitProperties;
import io.oasis.resilience.ClientLimiter;
import io.oasis.resilience.FaultInjection;
import io.oasis.testkit.Fixtures;
import io.oasis.upstream.UpstreamSettings;
import io.oasis.upstream.Upstreams;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BeginCompositionTest {

    private static final long BUDGET = Duration.ofMillis(500).toNanos();

    private static final Upstreams UPSTREAMS = Fixtures.upstreams(Fixtures.properties(Map.of("profile",
            new UpstreamSettings(null, "http://127.0.0.1:9/profile", null, null, List.of("Accept-Language"), null,
                    null, null, null, null, null, null, null, null))));

    private final LoadShedding shedding = new LoadShedding(new SimpleMeterRegistry());
    private static final EndpointProperties ENDPOINTS = new EndpointProperties(
            new EndpointProperties.Defaults(Duration.ofMillis(500), Duration.ofMillis(10)), Map.of());

    private final BeginComposition begin = new BeginComposition(new EndpointContracts(ENDPOINTS),
            shedding, new ClientLimiter(new ClientLimitProperties("address", List.of(), 0, Duration.ofSeconds(1), 10),
                    Fixtures.instanceLimits(), new SimpleMeterRegistry()),
            new FaultInjection(new FaultInjection.Settings(false, null)), Fixtures.answers(ENDPOINTS, UPSTREAMS),
            new Tracing(OpenTelemetry.noop()), Fixtures.outcomes(), UPSTREAMS,
            new Callers(Fixtures.NO_IDENTITY, new EndpointContracts(ENDPOINTS), new SimpleMeterRegistry()));

    @AfterAll
    static void closeClients() {
        UPSTREAMS.destroy();
    }

    private static Exchange arrived(long nanosAgo, Map<String, String> headers) {
        DefaultCamelContext camel = new DefaultCamelContext();
        Exchange exchange = new DefaultExchange(camel);
        exchange.getExchangeExtension().setFromRouteId("x");
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/x");
        request.setAttribute(ArrivalTime.ATTRIBUTE, System.nanoTime() - nanosAgo);
        PlatformHttpMessage message = new PlatformHttpMessage(request, new MockHttpServletResponse(), exchange,
                null, false);
        // as Camel's binding does: the request's headers become message headers
        headers.forEach((name, value) -> {
            request.addHeader(name, value);
            message.setHeader(name, value);
        });
        exchange.setIn(message);
        return exchange;
    }

    @Test
    void begin_requestWaitedOverHalfItsBudget_isRefusedWith503() {
        Exchange exchange = arrived(BUDGET / 2 + Duration.ofMillis(5).toNanos(), Map.of());

        assertThatThrownBy(() -> begin.process(exchange))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(503));
        assertThat(shedding.refused()).isEqualTo(1);
    }

    @Test
    void begin_budget_countsFromArrivalNotFromTheRouteStart() {
        long waited = Duration.ofMillis(100).toNanos();
        Exchange exchange = arrived(waited, Map.of());
        long before = System.nanoTime();

        begin.process(exchange);

        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        long callBudget = BUDGET - Duration.ofMillis(10).toNanos();
        assertThat(composition.deadlineNanos()).isLessThanOrEqualTo(before - waited + callBudget + 1_000_000);
        assertThat(composition.deadlineNanos() - composition.startNanos()).isEqualTo(callBudget);
    }

    @Test
    void begin_inboundHeaders_keepsOnlyWhatSomeUpstreamMayReceiveAndClearsTheMessage() {
        Exchange exchange = arrived(0, Map.of("Authorization", "Bearer x", "Cookie", "s=1",
                "accept-language", "de-CH", "CamelHttpUri", "http://evil"));

        begin.process(exchange);

        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        assertThat(composition.header("accept-language")).isEqualTo("de-CH");
        assertThat(composition.header("authorization")).isNull();
        assertThat(exchange.getMessage().getHeaders()).isEmpty();
    }

    @Test
    void begin_queryParameterNamedLikeAForwardedHeader_isNotForwarded() {
        Exchange exchange = arrived(0, Map.of());
        // Camel's binding makes ?accept-language=zz a message header too; it is no request header
        exchange.getMessage().setHeader("accept-language", "zz");

        begin.process(exchange);

        Composition composition = exchange.getProperty(Composition.PROPERTY, Composition.class);
        assertThat(composition.header("accept-language")).isNull();
    }
}
