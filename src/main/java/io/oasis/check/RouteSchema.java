package io.oasis.check;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * A route file against Camel's own YAML DSL JSON schema ({@code schema/camelYamlDsl.json} in camel-yaml-dsl), the
 * one Camel's editors and Kaoto use: what fails it is an error, so that a route that runs here also opens there.
 * Loaded for one check and dropped after it.
 */
final class RouteSchema {

    private static final String LOCATION = "schema/camelYamlDsl.json";
    /** Findings per file at most: one mistake under an anyOf reads as many. */
    private static final int MAX_PER_FILE = 3;

    private final JsonSchema schema;

    private RouteSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** The findings of one route file; none when it validates. */
    List<Finding> check(String file, InputStream yaml) {
        List<Finding> found = new ArrayList<>();
        JsonNode routes;
        try {
            routes = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            found.add(finding(file, "(file)", "not YAML: " + e.getMessage()));
            return found;
        }
        Set<ValidationMessage> messages = schema.validate(routes);
        for (ValidationMessage m : messages) {
            if (found.size() == MAX_PER_FILE) {
                break;
            }
            found.add(finding(file, m.getInstanceLocation().toString(), m.getMessage()));
        }
        return found;
    }

    private static Finding finding(String file, String at, String problem) {
        return new Finding(Finding.Severity.ERROR, "route-schema", file, at, "fails Camel's YAML DSL schema: "
                + problem, "Write it as Camel's YAML DSL reference says (a string where it wants a string, a "
                + "boolean where it wants a boolean, no property placeholder in a boolean).");
    }

    /** Each route file against the schema. */
    static List<Finding> check(List<RouteFiles.RouteFile> files) {
        RouteSchema schema = load();
        List<Finding> found = new ArrayList<>();
        for (RouteFiles.RouteFile file : files) {
            if (file.text() == null) {
                found.add(finding(file.path(), "(file)", "cannot be read again"));
            } else {
                found.addAll(schema.check(file.path(), new java.io.ByteArrayInputStream(
                        file.text().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
        }
        return found;
    }

    /** Camel's schema, from camel-yaml-dsl on the class path. */
    static RouteSchema load() {
        try (InputStream in = RouteSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException(LOCATION + " is not on the class path (camel-yaml-dsl)");
            }
            // lazily: preloaded (the library's default), the 800 KB schema held ~236 MB after a full GC and took 1.2 s
            // to load; lazily, loading took 0.34 s and the definitions the shipped routes touch no measurable heap
            // (one measurement, 2026-12-04, JDK 17, -Xmx288m, loading and validating the shipped route files)
            return new RouteSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in,
                    SchemaValidatorsConfig.builder().preloadJsonSchema(false).build()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOCATION, e);
        }
    }
}
