package io.oasis.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.oasis.endpoint.EndpointContract;
import io.oasis.endpoint.EndpointContracts;
import io.oasis.endpoint.IdentityProperties;
import io.oasis.endpoint.EndpointProperties;
import io.oasis.upstream.Upstream;
import io.oasis.upstream.UpstreamCallTemplate;
import io.oasis.upstream.UpstreamSettings;
import io.oasis.upstream.Upstreams;
import io.oasis.upstream.UrlTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * Checks, once the routes exist, what no single route or setting can check alone, and reports every finding at
 * once: errors (an endpoint without a route, a call outside an endpoint, an unknown {parameter} or {part.field},
 * calls waiting for each other in a circle) stop startup; warnings ({@link Lints}) are logged. Each finding names
 * the file, the route or key, and the fix. Runs at every startup (on ApplicationStartedEvent: Camel ignores
 * exceptions from its own after-start hook) and for {@code java -jar oasis.jar check} ({@link CheckCommand}).
 */
@Component
public class CompositionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CompositionCheck.class);

    private final EndpointContracts contracts;
    private final EndpointProperties endpoints;
    private final UpstreamCallTemplate template;
    private final Upstreams upstreams;
    private final CamelContext camelContext;
    private final CheckProperties bounds;
    private final ConfigurableEnvironment environment;
    private final IdentityProperties identity;
    private volatile List<Finding> findings = List.of();

    public CompositionCheck(EndpointContracts contracts, EndpointProperties endpoints, UpstreamCallTemplate template,
                            Upstreams upstreams, CamelContext camelContext, CheckProperties bounds,
                            ConfigurableEnvironment environment, IdentityProperties identity) {
        this.identity = identity;
        this.contracts = contracts;
        this.endpoints = endpoints;
        this.template = template;
        this.upstreams = upstreams;
        this.camelContext = camelContext;
        this.bounds = bounds;
        this.environment = environment;
    }

    /** What the last check found, errors first. */
    public List<Finding> findings() {
        return findings;
    }

    /**
     * @throws CheckFailure when a finding is an error, with every finding in its message
     */
    @EventListener(ApplicationStartedEvent.class)
    public void check() {
        if (!camelContext.isStarted()) {
            // started later (camel-test-spring-junit5 starts it after the Spring context): check the routes then,
            // failing that start
            try {
                camelContext.addStartupListener((context, alreadyStarted) -> failOnErrors());
            } catch (Exception e) {
                throw new IllegalStateException("cannot wait for Camel to start to check its routes", e);
            }
            return;
        }
        failOnErrors();
    }

    private void failOnErrors() {
        if (run().stream().anyMatch(f -> f.severity() == Finding.Severity.ERROR)) {
            throw new CheckFailure(findings);
        }
    }

    /** Checks the routes in force now, logs the warnings, and returns every finding, errors first. */
    public List<Finding> run() {
        List<Finding> found = new ArrayList<>(structure());
        Lints.run(model(), bounds).forEach(f -> found.add(f.file() != null ? f : f.in(origin(f.subject()))));
        List<RouteFiles.RouteFile> files = RouteFiles.of(camelContext);
        found.addAll(RouteConventions.findings(files));
        if (bounds.routeSchema()) {
            found.addAll(RouteSchema.check(files));
        }
        found.addAll(inlineSecrets());
        found.addAll(unboundTokens());
        found.sort((a, b) -> a.severity().compareTo(b.severity()));
        this.findings = List.copyOf(found);
        found.stream().filter(f -> f.severity() == Finding.Severity.WARNING).forEach(f -> LOG.warn("{}", f.line()));
        return findings;
    }

    /**
     * Tokens accepted from more than the one issuer and application they are meant for: with no issuer, any issuer
     * whose keys sit at the JWKS URL (a shared identity provider hosting several tenants); with no audience, every
     * token the issuer made for its other applications.
     */
    private List<Finding> unboundTokens() {
        List<Finding> unbound = new ArrayList<>();
        if (identity.jwkSetUri() == null || identity.jwkSetUri().isBlank()) {
            return unbound;
        }
        String file = origin("oasis.identity.jwk-set-uri");
        if (identity.issuer() == null || identity.issuer().isBlank()) {
            unbound.add(new Finding(Finding.Severity.WARNING, "identity-issuer", file, "oasis.identity.issuer",
                    "SECURITY: empty: a token is accepted whatever issuer it names, if the keys at "
                            + identity.jwkSetUri() + " signed it", "Set it to the iss your issuer writes into tokens."));
        }
        if (identity.audiences().isEmpty()) {
            unbound.add(new Finding(Finding.Severity.WARNING, "identity-audience", file, "oasis.identity.audiences",
                    "SECURITY: empty: a token the issuer made for any other application is accepted here",
                    "Set it to the audience your issuer puts into the tokens meant for Oasis."));
        }
        return unbound;
    }

    /** A key that names a secret: its value belongs in the environment or a mounted file, not in a config file. */
    private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
            "(?i).*(password|secret|token|private-key|api-key)$");

    /**
     * Secrets written into a configuration file as they are, instead of {@code ${ENVIRONMENT_VARIABLE}} or a file
     * imported with {@code spring.config.import=configtree:/run/secrets/}: such files end up in repositories, images
     * and support tickets.
     */
    private List<Finding> inlineSecrets() {
        List<Finding> found = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof org.springframework.boot.env.OriginTrackedMapPropertySource file)) {
                continue;
            }
            for (String name : file.getPropertyNames()) {
                Object raw = file.getProperty(name);
                String value = raw == null ? "" : String.valueOf(raw);
                if (!SECRET.matcher(name).matches() || value.isBlank() || value.contains("${")) {
                    continue;
                }
                Origin origin = OriginLookup.getOrigin(file, name);
                if (origin instanceof TextResourceOrigin text && text.getResource() != null
                        && String.valueOf(text.getResource()).contains("configtree")) {
                    continue;
                }
                found.add(new Finding(Finding.Severity.WARNING, "inline-secret", origin(name), name,
                        "a secret is written in the configuration file itself",
                        "Write " + name + ": ${" + name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                                + "} and set that environment variable, or import a secrets folder "
                                + "(spring.config.import: configtree:/run/secrets/)."));
            }
        }
        return found;
    }

    /** The errors: what makes an endpoint's composition wrong, not only slow. */
    private List<Finding> structure() {
        List<Finding> errors = new ArrayList<>();
        for (String endpoint : contracts.configured()) {
            if (camelContext.getRoute(endpoint) == null) {
                errors.add(error("endpoint-route", origin("oasis.endpoints." + endpoint), "oasis.endpoints." + endpoint,
                        "no route has the id " + endpoint, "Give the endpoint's route id: " + endpoint
                                + ", or remove the entry."));
            }
        }
        for (String route : template.routes()) {
            String endpoint = template.endpointOf(route);
            if (camelContext.getRoute(endpoint) == null) {
                errors.add(error("endpoint-route", "(routes)", "route " + route + " parameter endpoint", "'"
                        + endpoint + "': no endpoint route has this id",
                        "Set endpoint to the id of the route that calls direct:" + endpoint + "-<part>."));
            }
        }
        for (String step : RouteCalls.commonPoolTimeouts(camelContext)) {
            String route = step.substring(0, step.indexOf(':'));
            errors.add(error("breaker-common-pool", file(route), "route " + step, "circuitBreaker with "
                    + "timeoutEnabled but no timeoutExecutorService: its tasks would run on the JDK's common pool, "
                    + "shared by the whole JVM", "Add timeoutExecutorService: " + io.oasis.compose.BackendCallPool.NAME
                    + " to its resilience4jConfiguration."));
        }
        Map<String, Map<String, RouteCalls.Call>> byEndpoint = byEndpoint();
        byEndpoint.forEach((endpoint, calls) -> {
            List<String> accepted = contracts.get(endpoint).parameterNames();
            // a circle is reported as one; its calls are necessarily also "not before" each other
            List<String> circle = circle(calls);
            for (RouteCalls.Call call : calls.values()) {
                List<UrlTemplate.Placeholder> placeholders = new ArrayList<>(call.spec().url().placeholders());
                call.spec().tags().placeholders().stream().filter(p -> !"response".equals(p.part()))
                        .forEach(placeholders::add);
                String where = "route " + call.routeId() + " parameter path/query/cacheTags";
                String file = file(call.routeId(), endpoint);
                for (UrlTemplate.Placeholder p : placeholders) {
                    if (p.fromCaller()) {
                        if (contracts.get(endpoint).caller() == io.oasis.endpoint.Callers.Mode.OFF) {
                            errors.add(error("unknown-caller", file, where, "{" + p.name() + "}: "
                                    + "endpoint " + endpoint + " takes no caller, so the claim is never known",
                                    "Set oasis.endpoints." + endpoint + ".caller: required (or optional)."));
                        }
                        continue;
                    }
                    if (!p.fromPart() && !accepted.contains(p.name())) {
                        errors.add(error("unknown-parameter", file, where, "{" + p.name() + "} is "
                                + "not a parameter of endpoint " + endpoint + " (it accepts " + accepted + ")",
                                "Declare it under oasis.endpoints." + endpoint + ".parameters, or fix the name."));
                    }
                    if (p.fromPart() && !calls.containsKey(p.part()) && !call.before().contains(p.part())) {
                        errors.add(error("unknown-part", file, where, "{" + p.name() + "}: endpoint "
                                + endpoint + " has no part named " + p.part() + " (it has " + calls.keySet() + ")",
                                "Name an earlier call of the same endpoint."));
                    } else if (p.fromPart() && circle == null && !call.before().contains(p.part())) {
                        errors.add(error("part-not-before", file, where, "{" + p.name() + "}: part " + p.part()
                                + " cannot have arrived when " + call.spec().part() + " is called (it is wired in "
                                + "parallel with it, or after it)", "Call " + call.spec().part() + " after "
                                + p.part() + ": in the same pipeline, or in an enrich after it."));
                    }
                }
            }
            if (circle != null) {
                RouteCalls.Call call = calls.get(circle.get(0));
                errors.add(error("dependency-cycle", file(call.routeId(), endpoint), "route " + call.routeId()
                                 + " parameter path/query", String.join(" -> ", circle)
                                + ": these calls wait for each other in a circle",
                        "A call may only use the values of calls that do not depend on it."));
            }
        });
        return errors;
    }

    private Map<String, Map<String, RouteCalls.Call>> byEndpoint() {
        Map<String, Map<String, RouteCalls.Call>> byEndpoint = new LinkedHashMap<>();
        for (RouteCalls.Call call : RouteCalls.of(camelContext)) {
            byEndpoint.computeIfAbsent(call.endpoint(), e -> new LinkedHashMap<>()).putIfAbsent(call.spec().part(),
                    call);
        }
        return byEndpoint;
    }

    /** The first circle among the calls' dependencies, as the parts along it; null when there is none. */
    private static List<String> circle(Map<String, RouteCalls.Call> calls) {
        for (RouteCalls.Call call : calls.values()) {
            List<String> found = circle(call, calls, new ArrayList<>());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Depth-first along the dependencies; an endpoint has a handful of calls, so no memo is needed. */
    private static List<String> circle(RouteCalls.Call call, Map<String, RouteCalls.Call> calls, List<String> path) {
        String part = call.spec().part();
        if (path.contains(part)) {
            List<String> circle = new ArrayList<>(path.subList(path.indexOf(part), path.size()));
            circle.add(part);
            return circle;
        }
        path.add(part);
        for (String dependency : call.spec().url().dependencies()) {
            RouteCalls.Call next = calls.get(dependency);
            List<String> found = next == null ? null : circle(next, calls, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    /** The endpoints, calls and upstreams as the lints read them. */
    private CompositionModel model() {
        List<CompositionModel.Endpoint> endpointModels = new ArrayList<>();
        for (String endpoint : contracts.configured()) {
            EndpointContract contract = contracts.get(endpoint);
            EndpointProperties.Endpoint own = endpoints.endpoints().get(endpoint);
            endpointModels.add(new CompositionModel.Endpoint(endpoint,
                    java.time.Duration.ofNanos(contract.callBudgetNanos()), own == null ? null : own.targetRate(),
                    contract.maxRate(), file(endpoint)));
        }
        List<CompositionModel.Call> calls = byEndpoint().values().stream().flatMap(m -> m.values().stream())
                .map(c -> new CompositionModel.Call(c.endpoint(), c.spec().part(), c.spec().upstream().name(),
                        template.endpointOf(c.routeId()) != null ? c.routeId()
                                : c.routeId() + " call " + c.spec().part(),
                        List.copyOf(c.spec().url().dependencies()), c.spec().stale(),
                        file(c.routeId(), c.endpoint()))).toList();
        Map<String, UpstreamSettings> settings = new HashMap<>();
        for (Upstream upstream : upstreams.all().values()) {
            settings.put(upstream.name(), upstream.settings());
        }
        return new CompositionModel(endpointModels, calls, settings);
    }

    /** The file a route was loaded from, e.g. routes/endpoints/dashboard.camel.yaml. */
    private String file(String routeId) {
        return file(routeId, null);
    }

    /** The file of a route, or (Camel keeps no file for a route made from a template) that of its endpoint. */
    private String file(String routeId, String endpoint) {
        Route route = camelContext.getRoute(routeId);
        if (route == null || route.getSourceResource() == null) {
            return endpoint != null && !endpoint.equals(routeId) ? file(endpoint, null) : "(routes)";
        }
        return shortLocation(route.getSourceResource().getLocation());
    }

    /** A route file as its author knows it: its path in the classpath (routes/...), or relative to the working dir. */
    static String shortLocation(String location) {
        int classes = location.lastIndexOf("classes/");
        if (classes >= 0) {
            String inClasspath = location.substring(classes + "classes/".length());
            return inClasspath.startsWith("!/") ? inClasspath.substring(2) : inClasspath;
        }
        if (location.startsWith("file:")) {
            java.nio.file.Path file = java.nio.file.Path.of(location.substring("file:".length())).toAbsolutePath();
            java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
            return file.startsWith(here) ? here.relativize(file).toString() : file.toString();
        }
        return location.substring(location.indexOf(':') + 1);
    }

    /**
     * Where a setting's value comes from: its file and line, or the command line or environment; for an upstream's
     * setting left out, where its preset or oasis.upstream-defaults sets it; "built-in default" when nobody does.
     */
    String origin(String key) {
        List<String> candidates = new ArrayList<>(List.of(key));
        String prefix = "oasis.upstreams.";
        if (key.startsWith(prefix) && key.indexOf('.', prefix.length()) > 0) {
            String upstream = key.substring(prefix.length(), key.indexOf('.', prefix.length()));
            String setting = key.substring(prefix.length() + upstream.length() + 1);
            Upstream u = upstreams.all().get(upstream);
            if (u != null && u.settings().preset() != null) {
                candidates.add("oasis.upstream-presets." + u.settings().preset() + "." + setting);
            }
            candidates.add("oasis.upstream-defaults." + setting);
        }
        for (String candidate : candidates) {
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source.getName().equals("configurationProperties")) {
                    continue; // Boot's view over all the others: ask them one by one instead
                }
                String name = candidate;
                if (!source.containsProperty(name) && source instanceof EnumerablePropertySource<?> names) {
                    // a section such as oasis.endpoints.card: where its first key is
                    for (String n : names.getPropertyNames()) {
                        if (n.startsWith(candidate + ".")) {
                            name = n;
                            break;
                        }
                    }
                }
                Origin origin = OriginLookup.getOrigin(source, name);
                if (origin == null && source.containsProperty(name)) {
                    return switch (source.getName()) {
                        case "commandLineArgs" -> "command line";
                        case "systemProperties" -> "system properties";
                        case "systemEnvironment" -> "environment";
                        default -> source.getName();
                    };
                }
                if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
                    return text.getResource().getFilename()
                            + (text.getLocation() != null ? ":" + (text.getLocation().getLine() + 1) : "");
                }
                if (origin != null) {
                    return origin.toString();
                }
            }
        }
        return "built-in default";
    }

    private static Finding error(String rule, String file, String subject, String problem, String fix) {
        return new Finding(Finding.Severity.ERROR, rule, file, subject, problem, fix);
    }
}
