package io.oasis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.testkit.InventoryDatabase;
import io.oasis.testkit.OasisIT;
import io.oasis.testkit.UpstreamStubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

import static io.oasis.testkit.AnswerAssert.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/guide.md, as written: Oasis started with the page's settings and route file, and the page's AccountIT tests
 * run against it, so that the guide cannot drift from what works.
 */
class GuideIT extends OasisIT {

    /** The database the guide's shelf endpoint reads (in production, spring.datasource.* makes it). */
    @TestConfiguration
    static class Database {

        @Bean
        DataSource dataSource() {
            return InventoryDatabase.create();
        }
    }

    @AfterEach
    void healthyDatabase() {
        InventoryDatabase.healthy();
    }

    private static final Path GUIDE = Path.of("docs/guide.md");
    private static final Path ROUTES = routeFolder();

    /** The block after {@code <!-- guide: name -->}. */
    private static String block(String name) {
        try {
            Matcher m = Pattern.compile("<!-- guide: " + Pattern.quote(name) + " -->\\s*```\\w*\\n(.*?)```",
                    Pattern.DOTALL).matcher(Files.readString(GUIDE));
            assertThat(m.find()).as("block %s in %s", name, GUIDE).isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path routeFolder() {
        try {
            Path folder = Files.createTempDirectory("guide-routes");
            for (String endpoint : new String[] {"account", "shelf"}) {
                Files.writeString(folder.resolve(endpoint + ".camel.yaml"),
                        block("routes/endpoints/" + endpoint + ".camel.yaml"));
                folder.resolve(endpoint + ".camel.yaml").toFile().deleteOnExit();
            }
            folder.toFile().deleteOnExit();
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void guide(DynamicPropertyRegistry registry) {
        registry.add("camel.main.routes-include-pattern", () -> "classpath:routes/*.camel.yaml,"
                + "classpath:routes/endpoints/*.camel.yaml,classpath:routes/alerting/*.camel.yaml,"
                + "classpath:test-routes/*.camel.yaml,file:" + ROUTES + "/*.camel.yaml");
        for (String file : new String[] {"application.yaml", "shelf.application.yaml"}) {
            Map<String, Object> settings = new Yaml().load(block(file));
            flatten("", settings, new LinkedHashMap<>()).forEach((key, value) -> registry.add(key, () -> value));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> flatten(String prefix, Map<String, Object> yaml, Map<String, String> into) {
        yaml.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", (Map<String, Object>) nested, into);
            } else {
                into.put(prefix + key, String.valueOf(value));
            }
        });
        return into;
    }

    @Test
    void account_allUpstreamsHealthy_answersEveryPart() {
        assertThatAnswer(get("/api/account?userId=42")).isOk()
                .hasParts("profile", "loyalty", "offers").isComplete();
    }

    @Test
    void account_loyaltyFails_offersNotAskedForAndDefaultsApply() {
        UpstreamStubs.failing("loyalty", 503);

        assertThatAnswer(get("/api/account?userId=42")).isOk().isDegradedIn("loyalty", "offers")
                .hasPartStatus("loyalty", "default").hasPartStatus("offers", "skipped");
        assertThat(UpstreamStubs.requests("tier-recommendations")).isZero();
    }

    @Test
    void account_profileFails_answers502() {
        UpstreamStubs.failing("profile", 500);

        assertThatAnswer(get("/api/account?userId=42")).isProblem(502, "urn:oasis:problem:upstream-failed");
    }

    @Test
    void shelf_allHealthy_answersTheProfileAndTheStockRows() {
        JsonNode answer = json(get("/api/shelf?userId=42"));

        assertThat(answer.path("stock").toString())
                .isEqualTo("[{\"SKU\":\"sku-1\",\"QUANTITY\":3},{\"SKU\":\"sku-2\",\"QUANTITY\":0}]");
        assertThat(answer.path("profile").path("userId").asText()).isEqualTo("42");
    }

    @Test
    void shelf_databaseDown_stockTakesItsDefaultAndTheAnswerIsDegraded() {
        InventoryDatabase.tableGone();

        assertThatAnswer(get("/api/shelf?userId=42")).isOk().isDegradedIn("stock")
                .hasPartStatus("stock", "default").hasPartReasonContaining("stock", "backend failed: ");
    }
}
