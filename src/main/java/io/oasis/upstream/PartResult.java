package io.oasis.upstream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of an answer: its JSON (null only when FAILED), what became of the call, and how long it took.
 *
 * @param order     the part's place in the answer, in the order the route declares its calls
 * @param required  a failure of this part fails the whole response
 * @param attempts  requests sent to the upstream: 0 when it was not called, more than 1 after retries
 * @param failure   null when the upstream or the cache answered fresh
 * @param reason    a short human explanation when not fresh, e.g. "upstream answered 503"
 * @param ageMillis the age of a cached or stale value; -1 otherwise
 * @param upstream  the upstream called, or null for a branch that failed outside the template
 * @param cache     hit, stale, miss or coalesced; null when the upstream is not cached
 * @param startNanos when the part started, from the request's arrival (the waterfall's offset)
 */
public record PartResult(String name, int order, PartStatus status, JsonNode value, long nanos, boolean required,
                         int attempts, Failure failure, String reason, long ageMillis, String upstream, String cache,
                         long startNanos) {

    /** Answered fresh, from the upstream or the cache. */
    public boolean ok() {
        return status.fresh();
    }

    /** Has a value from the upstream, even an old one: dependants may use it. */
    public boolean hasValue() {
        return status.fresh() || status == PartStatus.STALE;
    }

    /** A required part that has no value: the whole response fails. */
    public boolean failsResponse() {
        return required && !hasValue();
    }
}
