package io.oasis.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oasis.alert.Alerting;
import io.oasis.alert.AlertingProperties;
import io.oasis.alert.PrometheusRules;
import io.oasis.alert.Silences;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alerts for operators (behind {@link OperatorSecurity}): where every alert stands, the objectives and their
 * budgets, silences to add and lift, and the rules as Prometheus alerting rules for fleets.
 */
@RestController
public class AlertAdmin {

    private final Alerting alerting;
    private final AlertingProperties properties;
    private final ProblemWriter problems;
    private final ObjectMapper json;

    public AlertAdmin(Alerting alerting, AlertingProperties properties, ProblemWriter problems, ObjectMapper json) {
        this.alerting = alerting;
        this.properties = properties;
        this.problems = problems;
        this.json = json;
    }

    /** Alerts (firing first), silences in force, objectives with their budget left and burn rates. */
    @GetMapping(path = "/admin/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> alerts() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("enabled", alerting.enabled());
        all.put("alerts", alerting.alerts());
        all.put("silences", alerting.silences().active());
        all.put("objectives", alerting.objectives());
        return all;
    }

    /** {"matcher": "dashboard-latency-p95" or "upstream=orders", "duration": "2h", "comment": "deploying"}. */
    @PostMapping(path = "/admin/alerts/silences", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> silence(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        try {
            JsonNode document = json.readTree(body == null ? new byte[0] : body);
            if (document == null || !document.isObject()) {
                throw new IllegalArgumentException("a JSON object: {\"matcher\": ..., \"duration\": \"2h\", "
                        + "\"comment\": ...}");
            }
            Duration duration;
            try {
                duration = DurationStyle.detectAndParse(document.path("duration").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("duration: '" + document.path("duration").asText("")
                        + "' is not a duration, e.g. 2h");
            }
            Silences.Silence silence = alerting.silences().add(document.path("matcher").asText(null), duration,
                    document.path("comment").asText(""), "api (" + request.getRemoteUser() + ")");
            return ResponseEntity.status(201).contentType(MediaType.APPLICATION_JSON)
                    .body(json.writeValueAsBytes(silence));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return CacheAdmin.problem(Problem.badRequest(e instanceof IllegalArgumentException ? e.getMessage()
                    : "the body is not JSON"), request, problems);
        }
    }

    @DeleteMapping("/admin/alerts/silences/{id}")
    ResponseEntity<byte[]> unsilence(@PathVariable String id, HttpServletRequest request) {
        if (alerting.silences().remove(id, "api (" + request.getRemoteUser() + ")")) {
            return ResponseEntity.noContent().build();
        }
        return CacheAdmin.problem(new Problem(404, "not-found", "Not found", "no silence " + id, Map.of()), request,
                problems);
    }

    /** docs/runbook.md, which every notification links to unless oasis.alerting.runbook-url points elsewhere. */
    @GetMapping(path = "/admin/runbook", produces = "text/markdown;charset=UTF-8")
    ResponseEntity<byte[]> runbook() throws java.io.IOException {
        try (var in = AlertAdmin.class.getResourceAsStream("/admin/runbook.md")) {
            if (in == null) {
                return ResponseEntity.notFound().build();
            }
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8"))
                    .body(in.readAllBytes());
        }
    }

    /** The same rules for Prometheus and Alertmanager (rule_files), summed over every instance. */
    @GetMapping(path = "/admin/alerts/prometheus-rules", produces = "application/yaml")
    ResponseEntity<byte[]> prometheusRules() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml"))
                .body(PrometheusRules.yaml(alerting.rules(), properties.dashboardUrl(), properties.runbookUrl())
                        .getBytes(StandardCharsets.UTF_8));
    }
}
