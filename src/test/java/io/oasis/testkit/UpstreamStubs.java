package io.oasis.testkit;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.springframework.test.context.DynamicPropertyRegistry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The dashboard's six upstreams as one real HTTP server (WireMock) on a free port, each under its own path prefix.
 * Responses are synchronous so that {@link #maxInFlight()} sees a delayed request as in flight until it is answered.
 */
public final class UpstreamStubs {

    public static final List<String> UPSTREAMS =
            List.of("profile", "orders", "recommendations", "cart", "loyalty", "tier-recommendations");

    private static final InFlight IN_FLIGHT = new InFlight();

    public static final WireMockServer SERVER = start();

    private UpstreamStubs() {
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(256)
                .asynchronousResponseEnabled(false)
                .extensions(IN_FLIGHT));
        server.start();
        return server;
    }

    public static String baseUrl(String upstream) {
        return "http://127.0.0.1:" + SERVER.port() + "/" + upstream;
    }

    /**
     * Points every upstream of the application under test at this server: the dashboard's six, and any of your own
     * (e.g. {@code register(registry, "inventory")}); each is served under /{upstream}.
     */
    public static void register(DynamicPropertyRegistry registry, String... more) {
        for (String upstream : UPSTREAMS) {
            registry.add("oasis.upstreams." + upstream + ".base-url", () -> baseUrl(upstream));
        }
        for (String upstream : more) {
            registry.add("oasis.upstreams." + upstream + ".base-url", () -> baseUrl(upstream));
        }
    }

    /** What your own upstream answers on a path (a regular expression after /{upstream}), e.g. "/items/[0-9]+". */
    public static void answer(String upstream, String pathPattern, ResponseDefinitionBuilder response) {
        SERVER.stubFor(get(urlPathMatching("/" + upstream + pathPattern)).atPriority(1).willReturn(response));
    }

    /** The upstream answers this status: {@code failing("orders", 503)}. */
    public static void failing(String upstream, int status) {
        answer(upstream, status(status));
    }

    /** The upstream answers its usual JSON, this much later. */
    public static void slow(String upstream, String json, int millis) {
        answer(upstream, delayedJson(json, millis));
    }

    /** The upstream takes the request and answers nothing for 5 s, longer than any budget: timeouts end the call. */
    public static void hanging(String upstream) {
        answer(upstream, okJson("{}").withFixedDelay(5_000));
    }

    /** The upstream answers 200 with a body that is not JSON. */
    public static void malformed(String upstream) {
        answer(upstream, okJson("{\"broken\": tru"));
    }

    /** The upstream resets the connection instead of answering. */
    public static void resetting(String upstream) {
        answer(upstream, aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
    }

    /** How many requests reached the upstream since {@link #healthy()}. */
    public static int requests(String upstream) {
        return SERVER.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathMatching("/" + upstream + "/.*"))).size();
    }

    /** Forgets earlier stubs and requests; every upstream answers at once with valid JSON; loyalty says gold. */
    public static void healthy() {
        SERVER.resetAll();
        IN_FLIGHT.reset();
        SERVER.stubFor(user("profile", "").willReturn(okJson("{\"userId\":\"42\",\"name\":\"Test User\"}")));
        SERVER.stubFor(user("orders", "/orders").willReturn(okJson("[{\"id\":\"o-1\"}]")));
        SERVER.stubFor(user("recommendations", "").willReturn(okJson("[{\"sku\":\"s-1\"}]")));
        SERVER.stubFor(user("cart", "").willReturn(okJson("{\"items\":[],\"itemCount\":0}")));
        SERVER.stubFor(user("loyalty", "").willReturn(okJson("{\"tier\":\"gold\",\"points\":10}")));
        SERVER.stubFor(get(urlPathEqualTo("/tier-recommendations/tiers/gold"))
                .willReturn(okJson("[{\"offer\":\"gold offer\"}]")));
    }

    /** Replaces what one upstream answers for a user, e.g. {@code answer("loyalty", aResponse().withStatus(500))}. */
    public static void answer(String upstream, ResponseDefinitionBuilder response) {
        SERVER.stubFor(user(upstream, upstream.equals("orders") ? "/orders" : "").atPriority(1).willReturn(response));
    }

    public static ResponseDefinitionBuilder delayedJson(String json, int millis) {
        return okJson(json).withFixedDelay(millis);
    }

    public static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("{}");
    }

    /** The most requests the stubs held at once since {@link #healthy()}. */
    public static int maxInFlight() {
        return IN_FLIGHT.max.get();
    }

    private static MappingBuilder user(String upstream, String suffix) {
        return get(urlPathMatching("/" + upstream + "/users/[^/]+" + suffix));
    }

    /** Counts requests between arrival and the end of their answer. */
    private static final class InFlight implements ServeEventListener {

        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();

        @Override
        public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        @Override
        public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
            now.decrementAndGet();
        }

        void reset() {
            now.set(0);
            max.set(0);
        }

        @Override
        public String getName() {
            return "in-flight";
        }
    }
}
