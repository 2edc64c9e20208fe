package io.oasis.endpoint;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Oasis' webhook signature, the same in both directions (the cache-invalidation webhook checks it, alert webhooks
 * send it): header {@code Oasis-Timestamp} (Unix seconds) and {@code Oasis-Signature: sha256=<hex>}, the hex being
 * HMAC-SHA256 with the shared secret over {@code <timestamp>.<body>}.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "Oasis-Timestamp";
    public static final String SIGNATURE_HEADER = "Oasis-Signature";
    public static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** The raw HMAC-SHA256 of {@code <timestamp>.<body>}. */
    public static byte[] hmac(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** The {@code Oasis-Signature} header value: {@code sha256=<hex>}. */
    public static String header(byte[] secret, String timestamp, byte[] body) {
        return PREFIX + java.util.HexFormat.of().formatHex(hmac(secret, timestamp, body));
    }
}
