package io.oasis.admin;

import java.util.List;

import io.oasis.config.Secrets;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code oasis.operator}: who may use the operator surfaces (dashboard page, errors, Hawtio, Jolokia, Actuator).
 *
 * @param username         from the environment or configuration
 * @param password         from the environment only (OASIS_OPERATOR_PASSWORD); without one the surfaces are
 *                         closed, except in the demo profile, which makes one up and prints it at startup
 * @param publicEndpoints  Actuator endpoints open to all, typically for orchestrators and Prometheus
 * @param maxFailedAttempts wrong credentials one client (address) may send within {@code failedAttemptsWindow}:
 *                         operator password, admin token, webhook signature; past them every attempt is 429 until the
 *                         window ends, the right credentials included
 * @param failedAttemptsWindow counted from a client's first failure
 */
@ConfigurationProperties("oasis.operator")
public record OperatorProperties(@DefaultValue("operator") String username, String password,
                                 @DefaultValue({"health", "prometheus"}) List<String> publicEndpoints,
                                 @DefaultValue("10") int maxFailedAttempts,
                                 @DefaultValue("5m") java.time.Duration failedAttemptsWindow) {

    public OperatorProperties {
        Secrets.requireStrong("oasis.operator.password", password);
    }
}
