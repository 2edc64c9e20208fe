package io.oasis.upstream.armour;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.upstream.Failure;
import io.oasis.upstream.PartStatus;

/**
 * How a part's call ended. Inside the armour a failure is {@code FAILED}; {@link ApplyPolicy} turns it into what
 * the part's policy says (default, skipped).
 *
 * @param failure   null when the upstream or the cache answered fresh
 * @param ageMillis the age of a cached or stale value; -1 otherwise
 * @param attempts  requests sent to the upstream
 */
public record PartOutcome(PartStatus status, JsonNode value, Failure failure, String reason, long ageMillis,
                          int attempts) {

    public static PartOutcome ok(JsonNode value, int attempts) {
        return new PartOutcome(PartStatus.OK, value, null, null, -1, attempts);
    }

    public static PartOutcome cached(JsonNode value, long ageMillis) {
        return new PartOutcome(PartStatus.CACHED, value, null, null, ageMillis, 0);
    }

    public static PartOutcome failed(Failure failure, String reason, int attempts) {
        return new PartOutcome(PartStatus.FAILED, null, failure, reason, -1, attempts);
    }

    public boolean ok() {
        return failure == null;
    }
}
