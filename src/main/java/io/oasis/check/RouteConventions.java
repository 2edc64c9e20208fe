package io.oasis.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * The conventions of a route file, checked by {@code check} for every route file in force (warnings), and by the
 * build for routes/ (none allowed): {@code <name>.camel.yaml} holds route id {@code <name>}, its helpers are
 * {@code <name>-<something>}, a templatedRoute call is {@code <endpoint>-<part>}, and no step calls HTTP except
 * through {@code upstream:} (an HTTP component called directly has none of the armour: no deadline from the
 * endpoint's budget, no breaker, retry budget, cache or header allow-list).
 */
final class RouteConventions {

    /** Camel components that send HTTP requests: upstreams are called through upstream: only. */
    private static final Pattern HTTP_PRODUCER = Pattern.compile(
            "^(https?|vertx-http|netty-http|undertow|jetty|ahc|rest|rest-openapi|knative|webhook):.*");

    private RouteConventions() {
    }

    /** The violations of every route file, as check's warnings. */
    static List<Finding> findings(List<RouteFiles.RouteFile> files) {
        List<Finding> found = new ArrayList<>();
        for (RouteFiles.RouteFile file : files) {
            String name = file.path().substring(file.path().lastIndexOf('/') + 1);
            for (String violation : violations(name, file.text())) {
                int colon = violation.indexOf(": ");
                found.add(new Finding(Finding.Severity.WARNING, "route-conventions", file.path(),
                        violation.substring(0, colon), violation.substring(colon + 2),
                        "Follow docs/routes.md (Writing an endpoint)."));
            }
        }
        return found;
    }

    static List<String> violations(String fileName, String yaml) {
        List<String> found = new ArrayList<>();
        if (!fileName.endsWith(".camel.yaml")) {
            found.add(fileName + ": route files are named <name>.camel.yaml");
            return found;
        }
        String name = fileName.substring(0, fileName.length() - ".camel.yaml".length());
        Object parsed = new Yaml().load(yaml);
        if (!(parsed instanceof List<?> items)) {
            found.add(fileName + ": a route file is a YAML list of route, templatedRoute, ... entries");
            return found;
        }
        boolean first = true;
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> entry)) {
                continue;
            }
            if (entry.get("route") instanceof Map<?, ?> route) {
                Object id = route.get("id");
                if (id == null) {
                    found.add(fileName + ": a route without an id (Camel would name it route1, route2...)");
                } else if (first && !id.equals(name)) {
                    found.add(fileName + ": the first route's id is '" + id + "', expected '" + name + "'");
                } else if (!first && !id.toString().startsWith(name + "-")) {
                    found.add(fileName + ": route id '" + id + "' does not start with '" + name + "-'");
                }
                first = false;
                httpProducers(route, fileName + " route " + id, found);
            }
            if (entry.get("templatedRoute") instanceof Map<?, ?> templated) {
                templatedRoute(templated, name, fileName, found);
                first = false;
            }
            if (entry.get("from") != null) {
                found.add(fileName + ": a bare 'from' has no id; wrap it in a route with an id");
            }
        }
        return found;
    }

    private static void templatedRoute(Map<?, ?> templated, String name, String fileName, List<String> found) {
        Object routeId = templated.get("routeId");
        String endpoint = null;
        String part = null;
        if (templated.get("parameters") instanceof List<?> parameters) {
            for (Object p : parameters) {
                if (p instanceof Map<?, ?> parameter && "endpoint".equals(parameter.get("name"))) {
                    endpoint = String.valueOf(parameter.get("value"));
                }
                if (p instanceof Map<?, ?> parameter && "part".equals(parameter.get("name"))) {
                    part = String.valueOf(parameter.get("value"));
                }
            }
        }
        if (!"upstream-call".equals(templated.get("routeTemplateRef"))) {
            return;
        }
        if (!name.equals(endpoint)) {
            found.add(fileName + ": call " + routeId + " has endpoint '" + endpoint + "', expected '" + name + "'");
        }
        if (routeId == null || !routeId.equals(endpoint + "-" + part)) {
            found.add(fileName + ": call routeId '" + routeId + "', expected '" + endpoint + "-" + part + "'");
        }
    }

    /** Any uri, to or toD value anywhere in the route that names an HTTP client component. */
    private static void httpProducers(Object node, String where, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof String value && isUri(e.getKey()) && HTTP_PRODUCER.matcher(value).matches()) {
                    found.add(where + ": '" + value + "' calls HTTP outside upstream: (no deadline, breaker, retry "
                            + "budget or cache)");
                }
                httpProducers(e.getValue(), where, found);
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                httpProducers(item, where, found);
            }
        }
    }

    private static boolean isUri(Object key) {
        return "uri".equals(key) || "to".equals(key) || "toD".equals(key) || "constant".equals(key)
                || "simple".equals(key) || "wireTap".equals(key) || "enrich".equals(key) || "pollEnrich".equals(key);
    }
}
