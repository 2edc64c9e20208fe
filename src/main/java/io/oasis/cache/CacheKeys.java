package io.oasis.cache;

import java.util.Set;

import org.apache.commons.codec.digest.DigestUtils;

/**
 * Cache keys: {@code <upstream>:<path and query as sent>} followed by the varying headers
 * ({@code |accept-language=5:de-CH}), so the key holds every attribute that changes the answer and nothing else.
 * Bounded: past 512 characters the rest is replaced by its SHA-256, keeping a readable prefix for invalidation by prefix. A credential (Authorization, Cookie,
 * Proxy-Authorization) enters the key only as its SHA-256: keys reach Redis and logs, tokens must not.
 */
public final class CacheKeys {

    static final int MAX = 512;
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie", "proxy-authorization");
    private static final int KEEP = 400;

    private CacheKeys() {
    }

    /**
     * @param headerNames  the varying headers' names, lower-case (UpstreamCache lowers them once)
     * @param headerValues the varying headers' values, in configuration order; null for an absent header
     */
    public static String key(String upstream, String target, String[] headerNames, String[] headerValues) {
        StringBuilder key = new StringBuilder(upstream.length() + target.length() + 32).append(upstream).append(':')
                .append(target);
        for (int i = 0; i < headerNames.length; i++) {
            if (headerValues[i] != null) {
                String value = CREDENTIALS.contains(headerNames[i]) ? "#" + DigestUtils.sha256Hex(headerValues[i])
                        : headerValues[i];
                // length-prefixed, so that no header value can spell another header into the key
                key.append('|').append(headerNames[i]).append('=').append(value.length()).append(':').append(value);
            }
        }
        if (key.length() <= MAX) {
            return key.toString();
        }
        return key.substring(0, KEEP) + "#" + DigestUtils.sha256Hex(key.toString());
    }
}
