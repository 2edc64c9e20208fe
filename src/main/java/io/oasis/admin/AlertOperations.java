package io.oasis.admin;

import io.oasis.alert.AlertEvaluator;
import io.oasis.alert.Alerting;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/** Alerts as JMX attributes and operations, for operators in Hawtio or jconsole: io.oasis:type=Alerts. */
@Component
@ManagedResource(objectName = "io.oasis:type=Alerts", description = "Oasis' alerts on this instance, and silences")
public class AlertOperations {

    private final Alerting alerting;

    public AlertOperations(Alerting alerting) {
        this.alerting = alerting;
    }

    @ManagedAttribute(description = "Alerts firing now, as name (severity)")
    public String[] getFiring() {
        return alerting.alerts().stream().filter(a -> a.phase() == AlertEvaluator.Phase.FIRING)
                .map(a -> a.name() + " (" + a.severity() + ")").toArray(String[]::new);
    }

    @ManagedAttribute(description = "Silences in force, as id: matcher until time (comment)")
    public String[] getSilences() {
        return alerting.silences().active().stream()
                .map(s -> s.id() + ": " + s.matcher() + " until " + s.until() + " (" + s.comment() + ")")
                .toArray(String[]::new);
    }

    @ManagedOperation(description = "Silence alerts: no notification until the silence ends; returns its id")
    @ManagedOperationParameter(name = "matcher", description = "an alert's name, or label=value (upstream=orders)")
    @ManagedOperationParameter(name = "duration", description = "how long, e.g. 2h")
    @ManagedOperationParameter(name = "comment", description = "why, for the other operators")
    public String silence(String matcher, String duration, String comment) {
        return alerting.silences().add(matcher, DurationStyle.detectAndParse(duration), comment, "jmx").id();
    }

    @ManagedOperation(description = "Lift a silence by its id")
    @ManagedOperationParameter(name = "id", description = "the silence's id")
    public boolean unsilence(String id) {
        return alerting.silences().remove(id, "jmx");
    }

    @ManagedOperation(description = "Evaluate every alert now instead of at the next tick")
    public void evaluateNow() {
        alerting.evaluate();
    }
}
