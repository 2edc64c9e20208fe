package io.oasis.upstream.armour;

import com.fasterxml.jackson.databind.JsonNode;
import io.oasis.upstream.Failure;
import io.oasis.upstream.UpstreamAnswer;

/**
 * How one attempt, or the whole fetch, ended.
 *
 * @param failure    null: {@code value} holds the answer
 * @param status     the upstream's HTTP status; 0 when none came
 * @param retryAfter the upstream's Retry-After header, or null
 * @param answer     the raw answer, until {@link ParseJson} turns it into {@code value}
 * @param sent       the request went out (false: refused before the wire, says nothing about the upstream)
 */
public record Attempted(Failure failure, int status, String retryAfter, String reason, JsonNode value,
                        UpstreamAnswer answer, boolean sent) {

    /** Refused before the request went out. */
    public static Attempted refused(Failure failure, String reason) {
        return new Attempted(failure, 0, null, reason, null, null, false);
    }

    /** Sent, and failed with no answer. */
    public static Attempted failed(Failure failure, String reason) {
        return new Attempted(failure, 0, null, reason, null, null, true);
    }

    public static Attempted answered(UpstreamAnswer answer) {
        return new Attempted(null, answer.status(), answer.retryAfter(), null, null, answer, true);
    }

    public boolean ok() {
        return failure == null;
    }
}
