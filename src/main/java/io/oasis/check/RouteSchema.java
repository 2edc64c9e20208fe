package io.oasis.check;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;

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

    /** Every YAML route file in force, once each, against the schema. */
    static List<Finding> checkRouteFiles(CamelContext camelContext) {
        RouteSchema schema = load();
        List<Finding> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Route route : camelContext.getRoutes()) {
            Resource resource = route.getSourceResource();
            if (resource == null || !resource.getLocation().endsWith(".yaml") || !seen.add(resource.getLocation())) {
                continue;
            }
            String file = CompositionCheck.shortLocation(resource.getLocation());
            try (InputStream in = resource.getInputStream()) {
                found.addAll(schema.check(file, in));
            } catch (IOException e) {
                found.add(finding(file, "(file)", "cannot be read again: " + e.getMessage()));
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
