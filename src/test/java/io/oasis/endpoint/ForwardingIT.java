package io.oasis.endpoint;

import java.net.http.HttpResponse;
import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.oasis.testkit.OasisIT;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.oasis.testkit.UpstreamStubs.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/** What reaches an upstream: only allow-listed headers, and URLs whose shape no parameter value can change. */
class ForwardingIT extends OasisIT {

    @Test
    void dashboard_clientCredentialsAndCamelHeaders_neverReachAnUpstream() {
        HttpResponse<String> response = send(request("/api/dashboard?userId=42")
                .header("Authorization", "Bearer secret-token")
                .header("Cookie", "session=secret-cookie")
                .header("X-Custom", "client-value")
                .header("CamelHttpUri", "http://evil.example/steal")
                .header("CamelHttpPath", "/admin")
                .header("CamelHttpQuery", "drop=tables")
                .header("Accept-Language", "de-CH")
                .GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        List<LoggedRequest> requests = SERVER.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(6);
        for (LoggedRequest request : requests) {
            assertThat(request.getHeaders().keys()).as(request.getUrl())
                    .noneMatch(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("Cookie")
                            || h.equalsIgnoreCase("X-Custom") || h.toLowerCase().startsWith("camel"));
            assertThat(request.getUrl()).doesNotContain("admin").doesNotContain("drop");
        }
    }

    @Test
    void dashboard_allowListedHeader_reachesOnlyTheUpstreamsThatListIt() {
        send(request("/api/dashboard?userId=42").header("Accept-Language", "de-CH").GET().build());

        SERVER.verify(1, getRequestedFor(urlPathMatching("/profile/.*")).withHeader("Accept-Language",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("de-CH")));
        SERVER.verify(1, getRequestedFor(urlPathMatching("/recommendations/.*")).withHeader("Accept-Language",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("de-CH")));
        SERVER.verify(1, getRequestedFor(urlPathMatching("/orders/.*")).withoutHeader("Accept-Language"));
        SERVER.verify(1, getRequestedFor(urlPathMatching("/cart/.*")).withoutHeader("Accept-Language"));
    }

    @Test
    void probe_valueWithPathAndQuerySyntax_staysOneEncodedSegmentAndOneQueryValue() {
        SERVER.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/profile/echo/.*"))
                .willReturn(okJson("{}")));

        for (String value : List.of("../admin", "1?x=y", "a/b#c", "..", "a&fixed=2", "%2e%2e")) {
            SERVER.resetRequests();
            String encoded = java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);

            assertThat(get("/test/probe?value=" + encoded).statusCode()).as(value).isEqualTo(200);

            LoggedRequest sent = SERVER.findAll(anyRequestedFor(anyUrl())).get(0);
            String raw = sent.getUrl();
            assertThat(raw).as(value).startsWith("/profile/echo/").contains("/tail?q=").endsWith("&fixed=1");
            String segment = raw.substring("/profile/echo/".length(), raw.indexOf("/tail?"));
            assertThat(segment).as(value).doesNotContain("/").doesNotContain("?").doesNotContain("#")
                    .isNotEqualTo("..").isNotEqualTo(".");
            assertThat(sent.queryParameter("q").firstValue()).as(value).isEqualTo(value);
            assertThat(sent.queryParameter("fixed").values()).as(value).containsExactly("1");
        }
        SERVER.verify(0, anyRequestedFor(urlMatching("/admin.*")));
    }
}
