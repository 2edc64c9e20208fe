package io.oasis.endpoint;

import java.util.Collection;
import java.util.Map;

/**
 * Who sent a request, as its validated bearer token says, or nobody ({@link #ANONYMOUS}).
 *
 * @param token the validated token, relayed only to upstreams configured for it
 */
public record Caller(String subject, Map<String, Object> claims, String token) {

    public static final Caller ANONYMOUS = new Caller(null, Map.of(), null);

    public boolean anonymous() {
        return subject == null;
    }

    /** A claim as text (a list joined by commas), or null. */
    public String claim(String name) {
        Object value = name.equals("sub") ? subject : claims.get(name);
        if (value instanceof Collection<?> values) {
            return String.join(",", values.stream().map(String::valueOf).toList());
        }
        return value == null ? null : String.valueOf(value);
    }

    @Override
    public String toString() {
        return anonymous() ? "Caller[anonymous]" : "Caller[" + subject + "]"; // never the token
    }
}
