package io.oasis.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Route files against Camel's own YAML DSL schema, as Camel's editors and Kaoto read them. */
class RouteSchemaTest {

    private static final RouteSchema SCHEMA = RouteSchema.load();

    private static List<Finding> check(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return SCHEMA.check(file, in);
        }
    }

    @Test
    void shippedRouteFiles_validate() throws IOException {
        assertThat(check("routes/endpoints/dashboard.camel.yaml")).isEmpty();
        assertThat(check("routes/alerting/alert-evaluation.camel.yaml")).isEmpty();
    }

    @Test
    void numberWhereTheSchemaWantsAString_isAnErrorNamingThePlace() throws IOException {
        assertThat(check("src/test/resources/bad-routes/schema.camel.yaml")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(f.subject()).contains("timePeriodMillis");
            assertThat(f.problem()).contains("string");
        });
    }

    @Test
    void placeholderWhereTheSchemaWantsABoolean_isAnError(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("a.camel.yaml"), """
                - route:
                    id: a
                    autoStartup: "{{oasis.alerting.enabled}}"
                    from:
                      uri: timer:a
                      steps:
                        - log: {message: tick}
                """);
        assertThat(check(file.toString())).isNotEmpty();
    }
}
