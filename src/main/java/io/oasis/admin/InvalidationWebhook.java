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
import io.oasis.cache.SharedRedis;
import io.oasis.endpoint.Problem;
import io.oasis.endpoint.ProblemWriter;
import io.oasis.endpoint.RequestLimits;
import io.oasis.endpoint.WebhookSignature;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
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
    private final SharedRedis shared;
    private final byte[] secret;
    private final long toleranceMillis;
    private final Duration remember;
    private final int maxBody;
    private final Cache<String, Boolean> seen;
    private final FailedAttempts attempts;

    public InvalidationWebhook(CacheInvalidation invalidation, ProblemWriter problems, ObjectMapper json,
                               CacheClock clock, CacheProperties properties, SharedRedis shared,
                               RequestLimits.Settings limits, FailedAttempts attempts) {
        this.attempts = attempts;
        this.invalidation = invalidation;
        this.problems = problems;
        this.json = json;
        this.clock = clock;
        this.shared = shared;
        this.maxBody = CacheAdmin.maxBody(limits);
        String configured = properties.webhook().secret();
        this.secret = configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
        Duration tolerance = properties.webhook().tolerance();
        this.toleranceMillis = tolerance.toMillis();
        // a signature is remembered as long as its timestamp could still pass: a replay within it is refused
        this.remember = tolerance.multipliedBy(2);
        this.seen = Caffeine.newBuilder().ticker(clock.ticker()).expireAfterWrite(remember)
                .maximumSize(100_000).build();
    }

    @PostMapping("/webhooks/cache-invalidation")
    ResponseEntity<byte[]> receive(@RequestHeader(name = WebhookSignature.TIMESTAMP_HEADER, required = false) String timestamp,
                                   @RequestHeader(name = WebhookSignature.SIGNATURE_HEADER, required = false) String signature,
                                   HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
            throws java.io.IOException {
        if (secret == null) {
            return CacheAdmin.problem(new Problem(404, "not-found", "Not found", "the webhook is not configured",
                    Map.of()), request, problems);
        }
        if (attempts.refused(request, response)) {
            return null;
        }
        // what can be judged without the body is judged first: a forged request costs no read and no HMAC
        String refusal = headerRefusal(timestamp, signature);
        byte[] body = null;
        if (refusal == null) {
            body = CacheAdmin.body(request, maxBody);
            refusal = refusal(timestamp, signature, body);
        }
        if (refusal != null) {
            attempts.failed(request);
            LOG.warn("cache invalidation webhook refused: {}", refusal);
            return CacheAdmin.problem(new Problem(401, "bad-signature", "Unauthorized", refusal, Map.of()), request,
                    problems);
        }
        return CacheAdmin.apply(body, "webhook", request, invalidation, problems, json);
    }

    /** Why the headers alone are refused, or null when they may be genuine. */
    String headerRefusal(String timestamp, String signature) {
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
        return null;
    }

    /** Why the request is refused, or null when it is genuine, fresh and new. */
    String refusal(String timestamp, String signature, byte[] body) {
        String headers = headerRefusal(timestamp, signature);
        if (headers != null) {
            return headers;
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
        // the replay guard keys on the signature's bytes, not on how the header spelt them (case, spaces)
        String used = HexFormat.of().formatHex(given);
        if (seen.asMap().putIfAbsent(used, Boolean.TRUE) != null || !firstInFleet(used)) {
            return "this signature was used before";
        }
        return null;
    }

    /** With Redis on, a signature is taken once for the whole fleet (SET NX); Redis away: this instance's guard. */
    private boolean firstInFleet(String signature) {
        if (!shared.enabled()) {
            return true;
        }
        java.util.concurrent.CompletableFuture<Boolean> first = new java.util.concurrent.CompletableFuture<>();
        shared.tryLock("webhook:" + signature, remember, first::complete);
        try {
            return first.get(shared.commandTimeout().toMillis() * 2 + 50, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
