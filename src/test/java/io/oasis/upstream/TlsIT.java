package io.oasis.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.oasis.testkit.Certificates;
import io.oasis.testkit.OasisInstance;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.AnswerAssert.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS to upstreams through Spring Boot SSL bundles: a stub with a self-signed certificate that only the test's trust
 * store holds, and one that also asks for Oasis' client certificate (mTLS). Profile trusts the first through its
 * bundle; cart calls it without one (the JVM's authorities refuse it); orders shows the client certificate to the
 * second; recommendations calls it without one (refused).
 */
class TlsIT {

    private static final Path DIR = directory();
    private static final Certificates.Issued UPSTREAM = Certificates.issue(DIR, "upstream");
    private static final Certificates.Issued OASIS_CLIENT = Certificates.issue(DIR, "oasis-client");
    private static final Path TRUSTS_UPSTREAM = Certificates.trustStore(DIR, "trusts-upstream", UPSTREAM);
    private static final Path TRUSTS_OASIS = Certificates.trustStore(DIR, "trusts-oasis", OASIS_CLIENT);
    private static final WireMockServer HTTPS = https(false);
    private static final WireMockServer MTLS = https(true);

    private static Path directory() {
        try {
            return Files.createTempDirectory("oasis-tls");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WireMockServer https(boolean clientCertificate) {
        WireMockConfiguration config = WireMockConfiguration.wireMockConfig().bindAddress("127.0.0.1")
                .httpDisabled(true).dynamicHttpsPort().keystorePath(UPSTREAM.keyStore().toString())
                .keystorePassword(Certificates.PASSWORD).keyManagerPassword(Certificates.PASSWORD)
                .keystoreType("PKCS12");
        if (clientCertificate) {
            config.needClientAuth(true).trustStorePath(TRUSTS_OASIS.toString())
                    .trustStorePassword(Certificates.PASSWORD).trustStoreType("PKCS12");
        }
        WireMockServer server = new WireMockServer(config);
        server.start();
        return server;
    }

    private static final OasisInstance OASIS = OasisInstance.start(settings());

    private static Map<String, String> settings() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "oasis.upstreams.profile.base-url", "https://127.0.0.1:" + HTTPS.httpsPort() + "/profile",
                "oasis.upstreams.profile.tls-bundle", "trusting",
                "oasis.upstreams.cart.base-url", "https://127.0.0.1:" + HTTPS.httpsPort() + "/cart",
                "oasis.upstreams.orders.base-url", "https://127.0.0.1:" + MTLS.httpsPort() + "/orders",
                "oasis.upstreams.orders.tls-bundle", "client",
                "oasis.upstreams.recommendations.base-url",
                "https://127.0.0.1:" + MTLS.httpsPort() + "/recommendations",
                "oasis.upstreams.recommendations.tls-bundle", "trusting"));
        for (String bundle : new String[] {"trusting", "client"}) {
            String prefix = "spring.ssl.bundle.jks." + bundle + ".";
            settings.put(prefix + "truststore.location", "file:" + TRUSTS_UPSTREAM);
            settings.put(prefix + "truststore.password", Certificates.PASSWORD);
            settings.put(prefix + "truststore.type", "PKCS12");
        }
        settings.put("spring.ssl.bundle.jks.client.keystore.location", "file:" + OASIS_CLIENT.keyStore());
        settings.put("spring.ssl.bundle.jks.client.keystore.password", Certificates.PASSWORD);
        settings.put("spring.ssl.bundle.jks.client.keystore.type", "PKCS12");
        return settings;
    }

    @AfterAll
    static void stopServers() {
        OASIS.close();
        HTTPS.stop();
        MTLS.stop();
    }

    private static boolean warm;

    @BeforeEach
    void answers() {
        UpstreamStubs.healthy();
        stubTls();
        if (!warm) {
            // a fresh JVM's first handshakes and requests are slow: the tests time answers against a 500 ms budget
            for (int i = 0; i < 3; i++) {
                OASIS.get("/api/dashboard?userId=1");
            }
            UpstreamStubs.healthy();
            stubTls();
            warm = true;
        }
    }

    private static void stubTls() {
        for (WireMockServer server : new WireMockServer[] {HTTPS, MTLS}) {
            server.resetAll();
            server.stubFor(WireMock.get(urlPathMatching("/profile/.*")).willReturn(okJson("{\"name\":\"Over TLS\"}")));
            server.stubFor(WireMock.get(urlPathMatching("/(orders|recommendations|cart)/.*"))
                    .willReturn(okJson("[{\"id\":\"tls\"}]")));
        }
    }

    @Test
    void httpsUpstream_trustedThroughItsBundle_answers_andAnUntrustedCertificateIsRefused() {
        var answer = assertThatAnswer(OASIS.get("/api/dashboard?userId=42")).isOk();

        assertThat(answer.body().at("/profile/name").asText()).isEqualTo("Over TLS");
        answer.hasPartStatus("profile", "ok").hasPartStatus("cart", "default")
                .hasPartReasonContaining("cart", "connection failed");
        assertThat(HTTPS.findAll(WireMock.getRequestedFor(urlPathMatching("/cart/.*")))).isEmpty();
    }

    @Test
    void mutualTls_clientCertificateFromTheBundle_isAccepted_andWithoutOneRefused() {
        var answer = assertThatAnswer(OASIS.get("/api/dashboard?userId=42")).isOk();

        answer.hasPartStatus("orders", "ok").hasPartStatus("recommendations", "default");
        assertThat(MTLS.findAll(WireMock.getRequestedFor(urlPathMatching("/orders/.*")))).hasSize(1);
        assertThat(MTLS.findAll(WireMock.getRequestedFor(urlPathMatching("/recommendations/.*")))).isEmpty();
    }

    @Test
    void httpsUpstream_manyRequests_reuseOnePooledTlsConnection() {
        for (int i = 0; i < 10; i++) {
            assertThatAnswer(OASIS.get("/api/dashboard?userId=" + i)).isOk().hasPartStatus("profile", "ok");
        }

        var stats = OASIS.bean(Upstreams.class).all().get("profile").poolStats();
        assertThat(stats.getAvailable() + stats.getLeased()).as("open TLS connections to profile").isEqualTo(1);
    }

    @Test
    void inboundHttps_fromAnSslBundle_servesTheEndpoints() throws Exception {
        try (OasisInstance secure = OasisInstance.start(Map.of(
                "server.ssl.bundle", "inbound",
                "spring.ssl.bundle.jks.inbound.keystore.location", "file:" + UPSTREAM.keyStore(),
                "spring.ssl.bundle.jks.inbound.keystore.password", Certificates.PASSWORD,
                "spring.ssl.bundle.jks.inbound.keystore.type", "PKCS12"))) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(TRUSTS_UPSTREAM))
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + secure.port() + "/api/dashboard?userId=42")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThatAnswer(answer).isOk();
        }
    }

    private static SSLContext trusting(Path trustStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, Certificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
