package io.oasis.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.oasis.cache.CacheClock;
import io.oasis.cache.CacheInvalidation;
import io.oasis.cache.CacheProperties;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import io.oasis.endpoint.WebhookSignature;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/cache-invalidation} for source systems: the body as for the admin API, signed with
 * HMAC-SHA256 over {@code <timestamp>.<body>}: headers {@code Oasis-Timestamp} (Unix seconds) and
 * {@code Oasis-Signature: sha256=<hex>}. A wrong signature, a timestamp outside the tolerance, or a signature
 * seen before gets 401 and invalidates nothing.
 */
@RestController
public class InvalidationWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationWebhook.class);

    private final CacheInvalidation invalidation;
    private final ProblemWriter problems;
    private final ObjectMapper json;
    private final CacheClock clock;
    private final byte[] secret;
    private final long toleranceMillis;
    private final Cache<String, Boolean> seen;

    public InvalidationWebhook(CacheInvalidation invalidation, ProblemWriter problems, ObjectMapper json,
                               CacheClock clock, CacheProperties properties) {
        this.invalidation = invalidation;
        this.problems = problems;
        this.json = json;
        this.clock = clock;
        String configured = properties.webhook().secret();
        this.secret = configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
        Duration tolerance = properties.webhook().tolerance();
        this.toleranceMillis = tolerance.toMillis();
        // a signature is remembered as long as its timestamp could still pass: a replay within it is refused
        this.seen = Caffeine.newBuilder().ticker(clock.ticker()).expireAfterWrite(tolerance.multipliedBy(2))
                .maximumSize(100_000).build();
    }

    @PostMapping("/webhooks/cache-invalidation")
    ResponseEntity<byte[]> receive(@RequestHeader(name = WebhookSignature.TIMESTAMP_HEADER, required = false) String timestamp,
                                   @RequestHeader(name = WebhookSignature.SIGNATURE_HEADER, required = false) String signature,
                                   @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        if (secret == null) {
            return CacheAdmin.problem(new Problem(404, "not-found", "Not found", "the webhook is not configured",
                    Map.of()), request, problems);
        }
        String refusal = refusal(timestamp, signature, body == null ? new byte[0] : body);
        if (refusal != null) {
            LOG.warn("cache invalidation webhook refused: {}", refusal);
            return CacheAdmin.problem(new Problem(401, "bad-signature", "Unauthorized", refusal, Map.of()), request,
                    problems);
        }
        return CacheAdmin.apply(body, "webhook", request, invalidation, problems, json);
    }

    /** Why the request is refused, or null when it is genuine, fresh and new. */
    String refusal(String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null || !signature.startsWith(WebhookSignature.PREFIX)) {
            return "Oasis-Timestamp and Oasis-Signature: sha256=<hex> are required";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "Oasis-Timestamp is not Unix seconds";
        }
        if (Math.abs(clock.nowMillis() - seconds * 1000) > toleranceMillis) {
            return "Oasis-Timestamp is outside the tolerance of " + toleranceMillis / 1000 + " s";
        }
        byte[] expected = WebhookSignature.hmac(secret, timestamp.trim(), body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(WebhookSignature.PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return "the signature is not hexadecimal";
        }
        if (!MessageDigest.isEqual(expected, given)) {
            return "the signature does not match";
        }
        if (seen.asMap().putIfAbsent(signature, Boolean.TRUE) != null) {
            return "this signature was used before";
        }
        return null;
    }
}
