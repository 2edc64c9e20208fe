package io.oasis.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;

/** The YAML route files the routes in force were loaded from, each once, read again for the file-level checks. */
final class RouteFiles {

    /** A route file: its path as its author knows it, and its text (null when it cannot be read again). */
    record RouteFile(String path, String text) {
    }

    private RouteFiles() {
    }

    static List<RouteFile> of(CamelContext camelContext) {
        Set<String> seen = new LinkedHashSet<>();
        List<RouteFile> files = new ArrayList<>();
        for (Route route : camelContext.getRoutes()) {
            Resource resource = route.getSourceResource();
            if (resource == null || !resource.getLocation().endsWith(".yaml") || !seen.add(resource.getLocation())) {
                continue;
            }
            String text;
            try (InputStream in = resource.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = null;
            }
            files.add(new RouteFile(CompositionCheck.shortLocation(resource.getLocation()), text));
        }
        return files;
    }
}
