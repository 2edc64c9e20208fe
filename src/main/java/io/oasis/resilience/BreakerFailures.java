package io.oasis.resilience;

import java.util.BitSet;

import io.oasis.config.ConfigurationException;

/**
 * Which answers an upstream's circuit breaker counts as its failures, besides connection errors, its own timeouts
 * and malformed answers (which always count): the statuses listed in {@code breaker.record-statuses}. By default
 * redirects, 408, 429 and 5xx; other 4xx answers are the caller's input, not the upstream's health.
 */
public final class BreakerFailures {

    public static final String DEFAULT = "300-399, 408, 429, 500-599";

    private final BitSet statuses;

    private BreakerFailures(BitSet statuses) {
        this.statuses = statuses;
    }

    /** Parses "408, 429, 500-599"; a bad list is a startup failure naming the key and the value. */
    public static BreakerFailures parse(String key, String spec) {
        BitSet statuses = new BitSet(600);
        String text = spec == null ? DEFAULT : spec;
        try {
            for (String item : text.split(",")) {
                String s = item.trim();
                int dash = s.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(s.substring(dash + 1).trim());
                if (from < 100 || to > 599 || from > to) {
                    throw new NumberFormatException();
                }
                statuses.set(from, to + 1);
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key, spec, "not a list of HTTP statuses and ranges",
                    "Write e.g. " + DEFAULT);
        }
        return new BreakerFailures(statuses);
    }

    /** An answer with this status counts as a failure of the upstream. */
    public boolean counts(int status) {
        return status >= 0 && status < 600 && statuses.get(status);
    }
}
