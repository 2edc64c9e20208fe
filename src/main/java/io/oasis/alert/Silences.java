package io.oasis.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.oasis.observe.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silences set by operators (admin API, JMX): a silenced alert still moves through its states, but sends nothing
 * until the silence ends. A silence matches an alert by name, or by a label ({@code upstream=orders}).
 */
public final class Silences {

    private static final Logger LOG = LoggerFactory.getLogger(Silences.class);

    /** @param matcher an alert's name, or {@code label=value} */
    public record Silence(String id, String matcher, Instant until, String comment, Instant created) {

        boolean matches(String alert, Map<String, String> labels) {
            int eq = matcher.indexOf('=');
            if (eq < 0) {
                return matcher.equals(alert);
            }
            return matcher.substring(eq + 1).equals(labels.get(matcher.substring(0, eq)));
        }
    }

    /** silences in force at once: each is an operator's deliberate act, a thousand is no oversight */
    static final int MAX_SILENCES = 1000;

    private final Map<String, Silence> byId = new ConcurrentHashMap<>();
    private final Clock clock;

    public Silences(Clock clock) {
        this.clock = clock;
    }

    public Silence add(String matcher, Duration duration, String comment, String source) {
        if (matcher == null || matcher.isBlank()) {
            throw new IllegalArgumentException("matcher: an alert's name or label=value, e.g. upstream=orders");
        }
        if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("duration: more than 0 and at most 30d, e.g. 2h");
        }
        if (matcher.length() > 200 || comment != null && comment.length() > 1000) {
            throw new IllegalArgumentException("matcher: at most 200 characters; comment: at most 1000");
        }
        if (active().size() >= MAX_SILENCES) {
            throw new IllegalArgumentException("at most " + MAX_SILENCES + " silences at once: lift one first");
        }
        Instant now = clock.instant();
        Silence silence = new Silence(UUID.randomUUID().toString().substring(0, 8), matcher.strip(),
                now.plus(duration), comment == null ? "" : comment, now);
        byId.put(silence.id(), silence);
        LOG.info("alerts matching '{}' silenced until {} by {}: {}", LogText.line(silence.matcher(), 200),
                silence.until(), source, LogText.line(silence.comment(), 200));
        return silence;
    }

    public boolean remove(String id, String source) {
        Silence removed = byId.remove(id);
        if (removed != null) {
            LOG.info("silence {} ('{}') lifted by {}", id, LogText.line(removed.matcher(), 200), source);
        }
        return removed != null;
    }

    /** The silences in force now; ended ones are forgotten. */
    public List<Silence> active() {
        Instant now = clock.instant();
        byId.values().removeIf(s -> !s.until().isAfter(now));
        return byId.values().stream().sorted(java.util.Comparator.comparing(Silence::until)).toList();
    }

    public boolean silenced(String alert, Map<String, String> labels) {
        return active().stream().anyMatch(s -> s.matches(alert, labels));
    }
}
