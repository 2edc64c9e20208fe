package io.oasis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.demo.DemoProperties;
import io.oasis.demo.DemoServer;
import io.oasis.testkit.Http;
import io.oasis.testkit.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet of docker-compose.yml, checked without a Docker engine: the compose file, nginx, Prometheus and
 * Alertmanager configurations by their own tools (Debian's docker-compose, nginx, promtool, amtool; .ci/run installs
 * them), and the Oasis side for real: an instance started with the compose profile (deploy/oasis), its Redis and
 * the demo upstreams, exports exactly the committed rules and publishes every metric the Grafana dashboard asks for.
 * Not an OasisIT: the test profile adds test endpoints, which would add rules the deployment does not have.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.additional-location=file:deploy/oasis/",
            "oasis.operator.password=" + DeploymentIT.OPERATOR_PASSWORD})
@ActiveProfiles("compose")
@AutoConfigureObservability(tracing = false)
class DeploymentIT {

    static final String OPERATOR_PASSWORD = "deployment-operator-password";
    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path NGINX = Path.of("deploy/nginx/nginx.conf");
    private static final Path PROMETHEUS = Path.of("deploy/prometheus/prometheus.yml");
    private static final Path RULES = Path.of("deploy/prometheus/oasis-rules.yml");
    private static final Path ALERTMANAGER = Path.of("deploy/alertmanager/alertmanager.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/oasis.json");
    private static final Path DEPLOY_README = Path.of("deploy/README.md");
    /** The variables docker-compose.yml requires (${NAME:?...}); the values only need to be there. */
    private static final Map<String, String> SECRETS = Map.of("OASIS_OPERATOR_PASSWORD", "operator-secret",
            "OASIS_ADMIN_TOKEN", "admin-token", "OASIS_WEBHOOK_SECRET", "webhook-secret",
            "GRAFANA_ADMIN_PASSWORD", "grafana-secret");
    private static final List<String> INSTANCES = List.of("oasis-1", "oasis-2");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan");

    private static final RedisProcess REDIS = new RedisProcess().start();
    private static final DemoServer DEMO = demoUpstreams();

    @LocalServerPort
    int port;

    @TempDir
    Path temp;

    @DynamicPropertySource
    static void fleetOnThisMachine(DynamicPropertyRegistry registry) {
        // the compose profile names the compose network's hosts; here they are on loopback
        registry.add("oasis.cache.redis.uri", REDIS::uri);
        for (String upstream : List.of("profile", "orders", "recommendations", "cart", "loyalty",
                "tier-recommendations")) {
            registry.add("oasis.upstreams." + upstream + ".base-url",
                    () -> "http://127.0.0.1:" + DEMO.port() + "/" + upstream);
        }
    }

    @AfterAll
    static void stopFleet() {
        DEMO.close();
        REDIS.stop();
    }

    @Test
    void composeFile_secretsGiven_passesDockerComposeConfig() throws Exception {
        Result config = compose(SECRETS, "config", "-q");

        assertThat(config.exit()).as(config.output()).isZero();
    }

    @Test
    void composeFile_secretsUnset_isRefusedNamingThem() throws Exception {
        Result config = compose(Map.of(), "config", "-q");

        assertThat(config.exit()).isNotZero();
        assertThat(config.output()).contains("set it in .env (deploy/env.example)");
    }

    @Test
    void deployReadme_everyServiceAndHostPort_isInTheComposeFile() throws Exception {
        Map<String, Object> services = section(composeConfig(), "services");
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| (?:`localhost:(\\d+)`)? *\\|")
                .matcher(Files.readString(DEPLOY_README));
        Map<String, String> listed = new LinkedHashMap<>();
        while (row.find()) {
            listed.put(row.group(1), row.group(2));
        }

        assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(services.keySet());
        listed.forEach((service, port) -> {
            List<String> published = ports(section(services, service)).stream().map(Port::published).toList();
            assertThat(published).as(service).isEqualTo(port == null ? List.of() : List.of(port));
        });
    }

    /** A published port, as docker-compose config writes it: a map (v2) or "[host_ip:]published:target" (v1). */
    private record Port(String hostIp, String published) {
    }

    private static List<Port> ports(Map<?, ?> service) {
        Object ports = service.get("ports");
        if (ports == null) {
            return List.of();
        }
        return ((List<?>) ports).stream().map(p -> {
            if (p instanceof Map<?, ?> map) {
                return new Port(map.get("host_ip") == null ? null : String.valueOf(map.get("host_ip")),
                        String.valueOf(map.get("published")));
            }
            String[] parts = String.valueOf(p).split(":");
            return parts.length == 3 ? new Port(parts[0], parts[1]) : new Port(null, parts[0]);
        }).toList();
    }

    @Test
    void composeFile_everyPortButTheLoadBalancers_isPublishedOnLoopbackOnly() throws Exception {
        Map<String, Object> services = section(composeConfig(), "services");
        services.forEach((service, definition) -> {
            if (!service.equals("nginx")) {
                // the demo's unauthenticated fault API and the monitoring stack are for this host's operator only
                assertThat(ports((Map<?, ?>) definition)).as(service).allMatch(p -> "127.0.0.1".equals(p.hostIp()));
            }
        });
    }

    @Test
    void readme_runManyInstances_namesOnlyPublishedPorts() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Run many instances");
        assertThat(start).as("README.md section Run many instances").isNotNegative();
        Matcher port = Pattern.compile("localhost:(\\d+)")
                .matcher(readme.substring(start, readme.indexOf("\n## ", start + 1)));
        Set<String> named = new TreeSet<>();
        while (port.find()) {
            named.add(port.group(1));
        }
        Set<String> published = new TreeSet<>();
        for (Object service : section(composeConfig(), "services").values()) {
            ports((Map<?, ?>) service).forEach(p -> published.add(p.published()));
        }

        assertThat(named).isNotEmpty();
        assertThat(published).containsAll(named);
    }

    @Test
    void composeInstances_healthcheckPath_answers200() throws Exception {
        Map<String, Object> services = section(composeConfig(), "services");
        for (String instance : INSTANCES) {
            List<?> check = (List<?>) section(section(services, instance), "healthcheck").get("test");
            URI url = URI.create((String) check.get(check.size() - 1));

            assertThat(url.getPort()).as(instance).isEqualTo(8080);
            assertThat(Http.send(Http.request(port, url.getPath()).GET().build()).statusCode()).as(instance)
                    .isEqualTo(200);
        }
    }

    @Test
    void nginxConf_instancesOnLoopback_passesNginxTest() throws Exception {
        // nginx resolves upstream names while it tests; no compose network here, so the copy names loopback instead
        String conf = Files.readString(NGINX);
        for (String instance : INSTANCES) {
            conf = conf.replace(instance + ":", "127.0.0.1:");
        }
        Path copy = Files.writeString(temp.resolve("nginx.conf"), conf);

        Result test = run(Map.of(), "nginx", "-t", "-e", "stderr", "-p", temp + "/", "-c", copy.toString());

        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("test is successful");
    }

    @Test
    void nginxConf_everyUpstream_listsBothInstancesAndForwardsTheClient() throws Exception {
        String conf = Files.readString(NGINX);
        Matcher upstream = Pattern.compile("upstream (\\w+) \\{([^}]*)}").matcher(conf);
        Map<String, List<String>> servers = new LinkedHashMap<>();
        while (upstream.find()) {
            Matcher server = Pattern.compile("(?m)^\\s*server ([\\w.-]+):8080;").matcher(upstream.group(2));
            List<String> hosts = new ArrayList<>();
            while (server.find()) {
                hosts.add(server.group(1));
            }
            servers.put(upstream.group(1), hosts);
        }

        assertThat(servers).containsOnlyKeys("oasis", "oasis_operators");
        assertThat(servers.values()).allSatisfy(hosts -> assertThat(hosts).containsExactlyElementsOf(INSTANCES));
        assertThat(conf).contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .contains("location /admin/ {").contains("location /actuator/ {").contains("listen 8080;");
    }

    @Test
    void prometheusConfig_passesPromtool_andScrapesBothInstances() throws Exception {
        Result check = run(Map.of(), "promtool", "check", "config", PROMETHEUS.toString());

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 1 rule files found");
        Map<String, Object> config = new Yaml().load(Files.readString(PROMETHEUS));
        List<?> jobs = (List<?>) config.get("scrape_configs");
        Map<?, ?> oasis = (Map<?, ?>) jobs.stream().filter(j -> "oasis".equals(((Map<?, ?>) j).get("job_name")))
                .findFirst().orElseThrow();
        assertThat(oasis.get("metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat(String.valueOf(oasis.get("static_configs"))).contains("oasis-1:8080", "oasis-2:8080");
    }

    @Test
    void prometheusRules_passPromtool() throws Exception {
        Result check = run(Map.of(), "promtool", "check", "rules", RULES.toString());

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void prometheusRules_committed_equalWhatOasisExports() throws Exception {
        HttpResponse<String> export = Http.send(Http.request(port, "/admin/alerts/prometheus-rules")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("operator:" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .GET().build());

        assertThat(export.statusCode()).isEqualTo(200);
        Object served = new Yaml().load(export.body());
        Object committed = new Yaml().load(Files.readString(RULES));
        assertThat(committed).as("deploy/prometheus/oasis-rules.yml: export it again (deploy/README.md)")
                .isEqualTo(served);
    }

    @Test
    void alertmanagerConfig_passesAmtool() throws Exception {
        Result check = run(Map.of(), "amtool", "check-config", ALERTMANAGER.toString());

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void grafanaDashboard_everyExpression_isValidPromQl() throws Exception {
        Map<String, String> expressions = dashboardExpressions();
        // promtool has no PromQL check of its own: each expression becomes a recording rule it parses
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        expressions.forEach((name, expr) -> rules.append("      - record: ").append(name).append('\n')
                .append("        expr: '").append(expr.replace("'", "''")).append("'\n"));
        Path file = Files.writeString(temp.resolve("dashboard-rules.yml"), rules);

        Result check = run(Map.of(), "promtool", "check", "rules", file.toString());

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + expressions.size() + " rules found");
    }

    @Test
    void grafanaDashboard_afterOneDashboardRequest_asksOnlyForMetricsOasisPublishes() throws Exception {
        assertThat(Http.send(Http.request(port, "/api/dashboard?userId=42").GET().build()).statusCode())
                .isEqualTo(200);
        Set<String> published = new TreeSet<>();
        for (String line : Http.send(Http.request(port, "/actuator/prometheus").GET().build()).body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                published.add(line.split("[{ ]", 2)[0]);
            }
        }

        Set<String> asked = new TreeSet<>();
        dashboardExpressions().values().forEach(expr -> asked.addAll(metricNames(expr)));

        assertThat(asked).contains("oasis_endpoint_requests_seconds_bucket", "oasis_upstream_pool_leased",
                "oasis_cache_redis_up");
        assertThat(published).containsAll(asked);
    }

    /** Every panel's queries, Grafana's range variables replaced by a duration PromQL accepts. */
    private static Map<String, String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets").isEmpty()).as(panel.path("title").asText()).isFalse();
            for (JsonNode target : panel.path("targets")) {
                expressions.put("panel_" + panel.path("id").asInt() + "_" + target.path("refId").asText(),
                        target.path("expr").asText().replaceAll("\\$__\\w+", "1m"));
            }
        }
        assertThat(expressions).isNotEmpty();
        return expressions;
    }

    /** The metric names in a PromQL expression: identifiers outside strings, label sets, ranges and by (...). */
    private static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("(?<![\\w.])([a-zA-Z_:][\\w:]*)\\b(?!\\s*\\()").matcher(bare);
        while (identifier.find()) {
            if (!PROMQL_WORDS.contains(identifier.group(1).toLowerCase())) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    private Result compose(Map<String, String> variables, String... arguments) throws Exception {
        // an empty env file: a developer's .env must not stand in for the variables this test sets or withholds
        Path noEnvFile = Files.writeString(temp.resolve("empty.env"), "");
        List<String> command = new ArrayList<>(List.of("docker-compose", "--env-file", noEnvFile.toString(), "-f",
                COMPOSE.toString()));
        command.addAll(List.of(arguments));
        return run(variables, command.toArray(String[]::new));
    }

    private Map<String, Object> composeConfig() throws Exception {
        Result config = compose(SECRETS, "config");
        assertThat(config.exit()).as(config.output()).isZero();
        return new Yaml().load(config.stdout());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> map, String key) {
        assertThat(map).as(key).containsKey(key);
        return (Map<String, Object>) map.get(key);
    }

    /** A tool's exit status, what it wrote to stdout, and both streams together for messages. */
    private record Result(int exit, String stdout, String output) {
    }

    /** Runs a tool with exactly the given deployment variables (none inherited). */
    private static Result run(Map<String, String> variables, String... command) throws Exception {
        Path stdout = Files.createTempFile("deployment-it", ".out");
        Path stderr = Files.createTempFile("deployment-it", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeAll(SECRETS.keySet());
        builder.environment().putAll(variables);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " not found: install Debian's docker-compose, nginx-light, "
                    + "prometheus and prometheus-alertmanager (.ci/run does)", e);
        }
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
            String out = Files.readString(stdout);
            return new Result(process.exitValue(), out, out + Files.readString(stderr));
        } finally {
            process.destroyForcibly();
            Files.delete(stdout);
            Files.delete(stderr);
        }
    }

    private static DemoServer demoUpstreams() {
        try {
            return new DemoServer(new DemoProperties("127.0.0.1", 0, Map.of()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
