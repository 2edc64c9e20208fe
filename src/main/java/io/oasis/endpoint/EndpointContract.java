package io.oasis.endpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one endpoint accepts and how long it may take, compiled once from {@link EndpointProperties}: patterns are
 * compiled here, not per request.
 */
public final class EndpointContract {

    record Parameter(String name, boolean required, Pattern pattern, String patternText, int maxLength) {
    }

    private final String endpoint;
    private final long budgetNanos;
    private final long marginNanos;
    private final Long maxRate;
    private final Callers.Mode caller;
    private final List<Parameter> parameters;

    EndpointContract(String endpoint, long budgetNanos, long marginNanos, Long maxRate, Callers.Mode caller,
                     List<Parameter> parameters) {
        this.endpoint = endpoint;
        this.caller = caller;
        this.budgetNanos = budgetNanos;
        this.marginNanos = marginNanos;
        this.maxRate = maxRate;
        this.parameters = parameters;
    }

    /** Requests per second the endpoint's throttle step allows, or null when it declares none. */
    public Long maxRate() {
        return maxRate;
    }

    /** What the endpoint asks of its callers' bearer tokens. */
    public Callers.Mode caller() {
        return caller;
    }

    public String endpoint() {
        return endpoint;
    }

    public long budgetNanos() {
        return budgetNanos;
    }

    /** Calls must be done by start + this: the budget less the margin kept to assemble the answer. */
    public long callBudgetNanos() {
        return budgetNanos - marginNanos;
    }

    public List<String> parameterNames() {
        return parameters.stream().map(Parameter::name).toList();
    }

    /**
     * The declared parameters found in a raw query string, checked.
     *
     * @throws ProblemException 400 naming the first parameter that is missing, repeated or malformed
     */
    public Map<String, String> parameters(String rawQuery) {
        Map<String, String> values = new HashMap<>(parameters.size() * 2);
        if (rawQuery != null && !rawQuery.isEmpty() && !parameters.isEmpty()) {
            int at = 0;
            while (at <= rawQuery.length()) {
                int amp = rawQuery.indexOf('&', at);
                int end = amp < 0 ? rawQuery.length() : amp;
                int eq = rawQuery.indexOf('=', at);
                String rawName = rawQuery.substring(at, eq < 0 || eq > end ? end : eq);
                Parameter declared = declared(decode(rawName, rawName));
                if (declared != null) {
                    String rawValue = eq < 0 || eq > end ? "" : rawQuery.substring(eq + 1, end);
                    String value = decode(rawValue, declared.name());
                    if (values.putIfAbsent(declared.name(), value) != null) {
                        throw new ProblemException(Problem.badParameter(declared.name(),
                                declared.name() + " is given more than once"));
                    }
                }
                if (amp < 0) {
                    break;
                }
                at = amp + 1;
            }
        }
        for (Parameter p : parameters) {
            String value = values.get(p.name());
            if (value == null || value.isEmpty()) {
                if (p.required()) {
                    throw new ProblemException(Problem.badParameter(p.name(), p.name() + " is required"));
                }
                values.remove(p.name());
                continue;
            }
            if (value.length() > p.maxLength()) {
                throw new ProblemException(Problem.badParameter(p.name(),
                        p.name() + " is longer than " + p.maxLength() + " characters"));
            }
            if (p.pattern() != null && !p.pattern().matcher(value).matches()) {
                throw new ProblemException(Problem.badParameter(p.name(),
                        p.name() + " must match " + p.patternText()));
            }
        }
        return values;
    }

    private Parameter declared(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static String decode(String raw, String parameter) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.badParameter(parameter,
                    parameter + " has a malformed percent-encoding"));
        }
    }
}
