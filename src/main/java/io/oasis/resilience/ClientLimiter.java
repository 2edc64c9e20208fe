package io.oasis.resilience;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oasis.config.ConfigurationException;
import io.oasis.endpoint.Caller;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemException;
import io.oasis.observe.OasisMetrics;
import org.apache.commons.codec.digest.DigestUtils;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * The per-client rate limit: a token bucket per client (Bucket4j), kept in a bounded map (Caffeine), or in Redis for
 * all instances together when {@code oasis.shared-limits} is on. A client over its limit gets 429 with Retry-After
 * and RateLimit headers before anything else is done for it.
 */
@Component
public class ClientLimiter {

    private static final String KEY = "oasis.client-limit";

    private final int requests;
    private final long perSeconds;
    private final String header;
    private final boolean principal;
    private final List<Cidr> trusted = new ArrayList<>();
    private final Cache<String, Bucket> buckets;
    private final Bandwidth bandwidth;
    /** null: each instance counts alone. */
    private final SharedLimits.Limit shared;

    private final Counter limited;
    private final Counter unavailable;

    public ClientLimiter(ClientLimitProperties properties, SharedLimits sharedLimits, MeterRegistry registry) {
        this.limited = Counter.builder(OasisMetrics.REQUESTS_RATE_LIMITED).tag(OasisMetrics.TAG_LIMIT, "client")
                .description("requests refused with 429").register(registry);
        this.unavailable = Counter.builder(OasisMetrics.REQUESTS_SHED)
                .tag(OasisMetrics.TAG_REASON, "shared-limit-unavailable").register(registry);
        this.requests = properties.requests();
        if (requests < 0) {
            throw new ConfigurationException(KEY + ".requests", requests, "must be 0 (off) or more", "E.g. 100.");
        }
        if (properties.per().isZero() || properties.per().isNegative()) {
            throw new ConfigurationException(KEY + ".per", properties.per().toMillis() + "ms",
                    "must be a positive duration", "E.g. 1s or 1m.");
        }
        this.perSeconds = Math.max(1, properties.per().toSeconds());
        String key = properties.key().trim();
        this.principal = key.equals("principal");
        this.header = key.startsWith("header:") ? key.substring("header:".length()).trim() : null;
        if (!principal && header == null && !key.equals("address") || header != null && header.isEmpty()) {
            throw new ConfigurationException(KEY + ".key", key, "unknown client key",
                    "Use address, principal, or header:<Name> such as header:X-Api-Key.");
        }
        for (String proxy : properties.trustedProxies()) {
            trusted.add(Cidr.parse(KEY + ".trusted-proxies", proxy));
        }
        this.bandwidth = requests == 0 ? null
                : Bandwidth.builder().capacity(requests).refillGreedy(requests, properties.per()).build();
        this.buckets = Caffeine.newBuilder().maximumSize(properties.maxClients())
                .expireAfterAccess(properties.per().multipliedBy(2)).build();
        this.shared = requests > 0 && sharedLimits.enabled()
                ? sharedLimits.limit("client", requests, properties.per(), 0, properties.maxClients()) : null;
    }

    /**
     * Takes one request from the client's bucket.
     *
     * @throws ProblemException 429 with Retry-After and RateLimit headers when the bucket is empty
     */
    public void admit(HttpServletRequest request, Caller caller) {
        if (bandwidth == null || request == null) {
            return;
        }
        // a header key (up to the 16 KB a header may hold) is kept as its digest: the map is bounded in bytes too
        String client = sharedKey(client(request, caller));
        Bucket local = buckets.get(client, c -> Bucket.builder().addLimit(bandwidth).build());
        long nanosToWait;
        if (shared == null) {
            ConsumptionProbe probe = local.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return;
            }
            nanosToWait = probe.getNanosToWaitForRefill();
        } else {
            // Bucket4j's request timeout (the Redis command timeout) bounds this wait
            SharedLimits.Verdict verdict = shared.tryConsume(client, local).join();
            if (verdict.admitted()) {
                return;
            }
            nanosToWait = verdict.nanosToWait();
            if (verdict.refusedUnchecked()) {
                unavailable.increment();
                throw new ProblemException(new Problem(503, "rate-limit-unavailable", "Service unavailable",
                        "the shared rate limit cannot be checked now", Map.of()),
                        Map.of("Retry-After", Long.toString(seconds(nanosToWait))));
            }
        }
        limited.increment();
        long retryAfter = seconds(nanosToWait);
        throw new ProblemException(new Problem(429, "rate-limited", "Too many requests",
                "this client is over its limit of " + requests + " requests per " + perSeconds + " s",
                Map.of()), Map.of("Retry-After", Long.toString(retryAfter),
                "RateLimit", "limit=" + requests + ", remaining=0, reset=" + retryAfter,
                "RateLimit-Policy", requests + ";w=" + perSeconds));
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + 999_999_999L));
    }

    /**
     * Forgets a client's count, so that it starts again with a full bucket: the operator's remedy for a client
     * limited by mistake. The key is an address, a principal or a header value, as the configured key reads them.
     *
     * @return whether the client was being counted
     */
    public boolean forget(String client) {
        boolean known = false;
        for (String prefix : new String[] {"a:", "p:", "h:"}) {
            known |= buckets.asMap().remove(sharedKey(prefix + client.trim())) != null;
            if (shared != null) {
                shared.forget(sharedKey(prefix + client.trim()));
            }
        }
        return known;
    }

    /** Forgets every client's count. */
    public void forgetAll() {
        buckets.invalidateAll();
    }

    /** Clients being counted now (each seen within two periods). */
    /** The characters of the longest client key remembered here (what the map holds per client, beside a bucket). */
    int longestKey() {
        return buckets.asMap().keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    public long clients() {
        return buckets.estimatedSize();
    }

    /** Requests per period a client may make; 0 is no limit. */
    public int requests() {
        return requests;
    }

    /** The period, in seconds. */
    public long perSeconds() {
        return perSeconds;
    }

    /**
     * Who the client is, for logs: the address or principal as they are, a header key (often an API key) only as
     * the start of its SHA-256, so that no credential reaches a log.
     */
    public String logKey(HttpServletRequest request, Caller caller) {
        if (request == null) {
            return null;
        }
        String key = client(request, caller);
        return key.startsWith("h:") ? "h:" + DigestUtils.sha256Hex(key).substring(0, 12) : key;
    }

    /** The client's key, here and in Redis: a header value (often an API key) only as its SHA-256. */
    private static String sharedKey(String client) {
        return client.startsWith("h:") ? "h:" + DigestUtils.sha256Hex(client) : client;
    }

    /** Who the client is, by the configured key; falls back to the address. */
    String client(HttpServletRequest request, Caller caller) {
        if (header != null) {
            String value = request.getHeader(header);
            if (value != null && !value.isBlank()) {
                return "h:" + value;
            }
        } else if (principal && caller != null && !caller.anonymous()) {
            return "p:" + caller.subject();
        }
        return "a:" + address(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    /** The address of a request's client, as {@link #address(String, String)} tells it. */
    public String address(HttpServletRequest request) {
        return address(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    /**
     * The client's address: the peer, unless the peer is a trusted proxy; then X-Forwarded-For read from the right,
     * skipping trusted proxies, so a client cannot choose its own key by sending the header itself.
     */
    String address(String peer, String forwardedFor) {
        if (forwardedFor == null || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!ipLiteral(hop)) {
                // not an address (what a proxy writes): it would key maps, Redis and logs with whatever it holds
                return peer;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** An IPv4 or IPv6 address as written, at most 45 characters; nothing else is a client's address. */
    static boolean ipLiteral(String hop) {
        if (hop.isEmpty() || hop.length() > 45) {
            return false;
        }
        for (int i = 0; i < hop.length(); i++) {
            char c = hop.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    private boolean isTrusted(String address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address range such as 10.0.0.0/8 or ::1/128; a bare address is a range of one. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String key, String text) {
            String[] parts = text.trim().split("/");
            try {
                byte[] network = literal(parts[0]);
                if (network == null) {
                    throw new UnknownHostException(parts[0]);
                }
                int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (parts.length > 2 || bits < 0 || bits > network.length * 8) {
                    throw new NumberFormatException(text);
                }
                return new Cidr(network, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new ConfigurationException(key, text, "not an address or CIDR range",
                        "Write e.g. 10.0.0.0/8, 192.168.1.7 or ::1/128.");
            }
        }

        boolean contains(String address) {
            byte[] candidate;
            try {
                candidate = literal(address);
            } catch (UnknownHostException e) {
                return false;
            }
            if (candidate == null || candidate.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || (candidate[full] & (0xFF << (8 - rest))) == (network[full] & (0xFF << (8 - rest)));
        }

        /** Parses an IP literal without any name lookup; null when it is not one. */
        private static byte[] literal(String text) throws UnknownHostException {
            String s = text.trim();
            if (s.isEmpty() || !(s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
                return null;
            }
            return InetAddress.getByName(s).getAddress();
        }
    }
}
