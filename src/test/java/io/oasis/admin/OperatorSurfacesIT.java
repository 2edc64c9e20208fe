package io.oasis.admin;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.OasisIT;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator surfaces do only what operators need, and only for requests from this origin: Jolokia reads and runs
 * Oasis' and the routes' operations but dumps no heap, sends into no endpoint and stops no context; exec takes
 * POST; a page of another origin (another port of this host included) changes nothing, whatever credentials it
 * rides on; the health anyone sees has no internals.
 */
@TestPropertySource(properties = {"oasis.operator.password=operator-password-0123456789", "spring.jmx.enabled=true",
    "spring.jmx.registration-policy=replace_existing", "oasis.cache.redis.enabled=true",
    "oasis.cache.redis.uri=redis://127.0.0.1:1"})
class OperatorSurfacesIT extends OasisIT {

    private static final String OPERATOR = "Basic " + Base64.getEncoder()
            .encodeToString("operator:operator-password-0123456789".getBytes(StandardCharsets.UTF_8));
    private static final String INVALIDATE_ALL = "{\"type\":\"exec\",\"mbean\":\"io.oasis:type=Cache\","
            + "\"operation\":\"invalidateAll\"}";

    @Autowired
    CamelContext camel;

    @TempDir
    Path dir;

    private HttpResponse<String> jolokia(String body, String... headers) {
        HttpRequest.Builder request = request("/actuator/jolokia").header("Authorization", OPERATOR)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /** Jolokia answers 200 over HTTP and says in its JSON what became of the request. */
    private int jolokiaStatus(String body) {
        return json(jolokia(body)).path("status").asInt();
    }

    private String contextMBean() {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\\\"" + camel.getName()
                + "\\\"";
    }

    @Test
    void jolokia_heapDumpToAnyPath_isRefusedAndNothingIsWritten() {
        Path dump = dir.resolve("heap.hprof");

        int status = jolokiaStatus("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"" + dump + "\",true]}");

        assertThat(status).isEqualTo(403);
        assertThat(dump).doesNotExist();
    }

    @Test
    void jolokia_sendingIntoAFileEndpoint_isRefusedAndNothingIsWritten() throws Exception {
        int status = jolokiaStatus("{\"type\":\"exec\",\"mbean\":\"" + contextMBean() + "\","
                + "\"operation\":\"sendStringBody\",\"arguments\":[\"file:" + dir + "?fileName=out.txt\",\"owned\"]}");

        assertThat(status).isEqualTo(403);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void jolokia_stoppingTheContextOrWritingAnAttribute_isRefused() {
        int stop = jolokiaStatus("{\"type\":\"exec\",\"mbean\":\"" + contextMBean() + "\",\"operation\":\"stop\"}");
        int write = jolokiaStatus("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"Verbose\",\"value\":true}");

        assertThat(stop).isEqualTo(403);
        assertThat(write).isEqualTo(403);
        assertThat(camel.isStarted()).isTrue();
    }

    @Test
    void jolokia_readsAndTheRoutesOperations_areAllowed() {
        JsonNode routes = json(jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}"));
        String route = routes.path("value").get(0).asText().replace("\"", "\\\"");

        assertThat(jolokiaStatus("{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"HeapMemoryUsage\"}")).isEqualTo(200);
        assertThat(jolokiaStatus("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"dumpRouteAsXml()\"}"))
                .isEqualTo(200);
        assertThat(jolokiaStatus("{\"type\":\"exec\",\"mbean\":\"" + contextMBean() + "\","
                + "\"operation\":\"dumpRoutesAsXml()\"}")).isEqualTo(200);
        assertThat(jolokiaStatus(INVALIDATE_ALL)).isEqualTo(200);
    }

    @Test
    void jolokia_execOverGet_isRefused() {
        HttpResponse<String> inPath = send(request("/actuator/jolokia/exec/io.oasis:type=Cache/invalidateAll")
                .header("Authorization", OPERATOR).GET().build());
        HttpResponse<String> inParameter = send(request("/actuator/jolokia?p=/exec/io.oasis:type=Cache/invalidateAll")
                .header("Authorization", OPERATOR).GET().build());

        assertThat(inPath.statusCode()).isEqualTo(405);
        assertThat(inParameter.statusCode()).isEqualTo(405);
    }

    @Test
    void stateChangingRequest_fromAnotherPortOfThisHost_isRefusedWithCredentials() {
        HttpResponse<String> otherPort = jolokia(INVALIDATE_ALL, "Origin", "http://127.0.0.1:" + (port + 1));
        HttpResponse<String> sameSite = jolokia(INVALIDATE_ALL, "Sec-Fetch-Site", "same-site");
        HttpResponse<String> silence = send(request("/admin/alerts/silences").header("Authorization", OPERATOR)
                .header("Content-Type", "application/json").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"matcher\":\"endpoint-latency\",\"duration\":\"1h\"}"))
                .build());

        assertThat(otherPort.statusCode()).isEqualTo(403);
        assertThat(json(otherPort).path("type").asText()).isEqualTo("urn:oasis:problem:cross-site");
        assertThat(sameSite.statusCode()).isEqualTo(403);
        assertThat(silence.statusCode()).isEqualTo(403);
    }

    @Test
    void stateChangingRequest_fromThisOrigin_orFromNoBrowser_isServed() {
        HttpResponse<String> sameOrigin = jolokia(INVALIDATE_ALL, "Origin", "http://127.0.0.1:" + port,
                "Sec-Fetch-Site", "same-origin");
        HttpResponse<String> script = jolokia(INVALIDATE_ALL);

        assertThat(sameOrigin.statusCode()).isEqualTo(200);
        assertThat(json(sameOrigin).path("status").asInt()).isEqualTo(200);
        assertThat(json(script).path("status").asInt()).isEqualTo(200);
    }

    @Test
    void health_shownToAnyone_hasNoInternals_andOperatorsSeeThem() {
        HttpResponse<String> anyone = get("/actuator/health");
        HttpResponse<String> operator = send(request("/actuator/health").header("Authorization", OPERATOR).GET().build());

        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(anyone.body()).contains("\"redis\":{\"status\":\"DEGRADED\"}")
                .doesNotContain("127.0.0.1").doesNotContain("lastError").doesNotContain("details");
        assertThat(operator.body()).contains("lastError").contains("127.0.0.1");
    }
}
