package io.oasis.resilience;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Lets a team see its fallbacks work: a request header {@code Oasis-Fault: orders=fail:503, profile=delay:300ms}
 * fails or delays the named upstreams for that request only. Honoured only when enabled and only for callers who
 * send the configured token in {@code Oasis-Fault-Token}; otherwise ignored. An injected failure is not sent to
 * the upstream and does not count in its circuit breaker or retry budget; an injected delay counts against the
 * endpoint's budget like a slow network.
 */
@Component
public class FaultInjection {

    public static final String HEADER = "Oasis-Fault";
    public static final String TOKEN_HEADER = "Oasis-Fault-Token";

    private static final Pattern ENTRY = Pattern.compile(
            "\\s*([a-z][a-z0-9-]*)\\s*=\\s*(?:fail:(\\d{3})|delay:(\\d+)(ms|s))\\s*");

    /** What to do to one upstream's call. */
    public record Fault(long delayNanos, int status) {
    }

    /**
     * {@code oasis.fault-injection}.
     *
     * @param enabled off by default: the header is then ignored
     * @param token   what callers must send in Oasis-Fault-Token; give it from the environment, never inline
     */
    @ConfigurationProperties("oasis.fault-injection")
    public record Settings(@DefaultValue("false") boolean enabled, String token) {
    }

    private final boolean enabled;
    private final byte[] token;

    public FaultInjection(Settings settings) {
        this.enabled = settings.enabled();
        if (enabled && (settings.token() == null || settings.token().length() < 16)) {
            throw new ConfigurationException("oasis.fault-injection.token", settings.token() == null ? null : "(hidden)",
                    "fault injection is enabled but its token is missing or shorter than 16 characters",
                    "Set OASIS_FAULT_INJECTION_TOKEN to a long random value, or disable fault injection.");
        }
        this.token = enabled ? settings.token().getBytes(StandardCharsets.UTF_8) : new byte[0];
    }

    /** The faults this request asks for and may have; empty when none, disabled or not authenticated. */
    public Map<String, Fault> faults(HttpServletRequest request) {
        if (!enabled || request == null) {
            return Map.of();
        }
        String wanted = request.getHeader(HEADER);
        String given = request.getHeader(TOKEN_HEADER);
        if (wanted == null || given == null
                || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            return Map.of();
        }
        Map<String, Fault> faults = new HashMap<>();
        for (String entry : wanted.split(",")) {
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new ProblemException(Problem.badRequest(HEADER + " entry '" + entry.trim()
                        + "' is not <upstream>=fail:<status> or <upstream>=delay:<n>ms"));
            }
            Fault before = faults.getOrDefault(m.group(1), new Fault(0, 0));
            faults.put(m.group(1), m.group(2) != null
                    ? new Fault(before.delayNanos(), Integer.parseInt(m.group(2)))
                    : new Fault(("s".equals(m.group(4)) ? Duration.ofSeconds(Long.parseLong(m.group(3)))
                            : Duration.ofMillis(Long.parseLong(m.group(3)))).toNanos(), before.status()));
        }
        return faults;
    }
}
