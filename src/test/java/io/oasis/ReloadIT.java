package io.oasis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import io.oasis.testkit.Http;
import io.oasis.testkit.OasisInstance;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Profile dev: a route file saved while Oasis runs is in force at once, without a restart. */
class ReloadIT {

    /** An endpoint with one call; {@code %s} is the upstream it calls (the part keeps its name). */
    private static final String ROUTE = """
            - route:
                id: reloadable
                from:
                  uri: platform-http:/api/reloadable
                  steps:
                    - process: {ref: beginComposition}
                    - to: {uri: direct:reloadable-account}
                    - process: {ref: renderComposition}
            - templatedRoute:
                routeTemplateRef: upstream-call
                routeId: reloadable-account
                parameters:
                  - {name: endpoint, value: reloadable}
                  - {name: part, value: account}
                  - {name: upstream, value: %s}
                  - {name: path, value: "/users/{userId}"}
            """;

    @TempDir
    Path routes;

    private OasisInstance oasis;

    @BeforeEach
    void start() throws IOException {
        UpstreamStubs.healthy();
        Files.writeString(routes.resolve("reloadable.camel.yaml"), ROUTE.formatted("profile"));
        oasis = OasisInstance.start(Map.of(
                "spring.profiles.active", "test,dev",
                "camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml,"
                        + "classpath:routes/endpoints/*.camel.yaml,classpath:test-routes/*.camel.yaml,file:" + routes
                        + "/*.camel.yaml",
                "oasis.routes.reload-directory", routes.toString(),
                "oasis.endpoints.reloadable.parameters.userId.pattern", "[0-9]{1,12}"));
    }

    @AfterEach
    void stop() {
        oasis.close();
    }

    /**
     * Saves whole and at once, as many editors do (a temporary file moved over the old), so that the reload never
     * reads a file half written; a half-written file is skipped or fails to load, and the save after it loads.
     */
    private static void save(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".saving");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String account() {
        return Http.json(oasis.get("/api/reloadable?userId=42")).path("account").toString();
    }

    @Test
    void routeFile_savedWhileRunning_isInForceWithoutARestart() throws IOException {
        assertThat(account()).contains("Test User");

        save(routes.resolve("reloadable.camel.yaml"), ROUTE.formatted("cart"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(account()).contains("itemCount"));
        assertThat(oasis.get("/api/dashboard?userId=42").statusCode()).as("the other routes keep serving")
                .isEqualTo(200);
    }
}
