package io.oasis.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.oasis.config.ConfigurationException;
import org.springframework.stereotype.Component;

/** Every endpoint's contract, checked at startup; endpoints without configuration get the defaults. */
@Component
public class EndpointContracts {

    private static final String PREFIX = "oasis.endpoints.";

    private final Map<String, EndpointContract> byEndpoint = new ConcurrentHashMap<>();
    private final EndpointProperties properties;

    public EndpointContracts(EndpointProperties properties) {
        this.properties = properties;
        Duration defaultBudget = positive("oasis.endpoint-defaults.budget", properties.endpointDefaults().budget());
        Duration defaultMargin = properties.endpointDefaults().assemblyMargin();
        properties.endpoints().forEach((name, endpoint) -> {
            String key = PREFIX + name;
            Duration budget = endpoint.budget() == null ? defaultBudget : positive(key + ".budget", endpoint.budget());
            Duration margin = endpoint.assemblyMargin() == null ? defaultMargin : endpoint.assemblyMargin();
            if (endpoint.maxRate() != null && endpoint.maxRate() < 1) {
                throw new ConfigurationException(key + ".max-rate", endpoint.maxRate(), "must be at least 1",
                        "Requests per second for all clients together, e.g. 2000.");
            }
            byEndpoint.put(name, contract(key, name, budget, margin, endpoint.maxRate(), mode(key, endpoint.caller()),
                    endpoint.parameters()));
        });
        contract("oasis.endpoint-defaults", "", defaultBudget, defaultMargin, null, Callers.Mode.OFF, Map.of());
    }

    /** The contract of the endpoint route with this id. */
    public EndpointContract get(String endpoint) {
        return byEndpoint.computeIfAbsent(endpoint, e -> contract("oasis.endpoint-defaults", e,
                properties.endpointDefaults().budget(), properties.endpointDefaults().assemblyMargin(), null,
                Callers.Mode.OFF, Map.of()));
    }

    /** Endpoint names that have configuration, for the startup check that each one has a route. */
    public Set<String> configured() {
        return properties.endpoints().keySet();
    }

    private static Callers.Mode mode(String key, String caller) {
        if (caller == null || caller.isBlank()) {
            return Callers.Mode.OFF;
        }
        try {
            return Callers.Mode.valueOf(caller.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + ".caller", caller, "unknown caller mode",
                    "Use off, optional or required.");
        }
    }

    private static EndpointContract contract(String key, String name, Duration budget, Duration margin, Long maxRate,
                                             Callers.Mode caller,
                                             Map<String, EndpointProperties.Parameter> parameters) {
        if (margin == null || margin.isNegative() || margin.compareTo(budget) >= 0) {
            throw new ConfigurationException(key + ".assembly-margin", margin == null ? null : margin.toMillis() + "ms",
                    "must be zero or more and less than the budget (" + budget.toMillis() + "ms)",
                    "A few milliseconds is enough, e.g. 10ms.");
        }
        List<EndpointContract.Parameter> checked = new ArrayList<>();
        parameters.forEach((parameter, p) -> {
            String pkey = key + ".parameters." + parameter;
            Pattern pattern = null;
            if (p.pattern() != null) {
                try {
                    pattern = Pattern.compile(p.pattern());
                } catch (PatternSyntaxException e) {
                    throw new ConfigurationException(pkey + ".pattern", p.pattern(),
                            "not a regular expression (" + e.getDescription() + ")", "Write a Java regex, e.g. [0-9]{1,12}.");
                }
            }
            if (p.maxLength() < 1) {
                throw new ConfigurationException(pkey + ".max-length", p.maxLength(), "must be at least 1",
                        "Give the longest value you accept, e.g. 64.");
            }
            checked.add(new EndpointContract.Parameter(parameter, p.required(), pattern, p.pattern(), p.maxLength()));
        });
        return new EndpointContract(name, budget.toNanos(), margin.toNanos(), maxRate, caller, List.copyOf(checked));
    }

    private static Duration positive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new ConfigurationException(key, value == null ? null : value.toMillis() + "ms",
                    "must be a positive duration", "Give it with its unit, e.g. 800ms.");
        }
        return value;
    }
}
