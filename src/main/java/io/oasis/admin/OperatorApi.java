package io.oasis.admin;

import java.util.Map;

import java.util.LinkedHashMap;

import io.oasis.alert.Alerting;
import io.oasis.observe.ErrorTracker;
import io.oasis.observe.Overview;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the dashboard page reads, for operators (behind {@link OperatorSecurity}). */
@RestController
public class OperatorApi {

    private final ErrorTracker errors;
    private final Overview overview;
    private final Alerting alerting;

    public OperatorApi(ErrorTracker errors, Overview overview, Alerting alerting) {
        this.errors = errors;
        this.overview = overview;
        this.alerting = alerting;
    }

    /** Errors grouped by type and place, most recent first. */
    @GetMapping(path = "/admin/errors", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> errors() {
        return errors.summary();
    }

    /** Endpoints, upstreams, slow requests, errors, alerts and objectives, as the dashboard page shows them. */
    @GetMapping(path = "/admin/overview", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> overview() {
        Map<String, Object> page = new LinkedHashMap<>(overview.now());
        page.put("alerts", alerting.alerts());
        page.put("objectives", alerting.objectives());
        return page;
    }
}
