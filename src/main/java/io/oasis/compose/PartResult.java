package io.oasis.compose;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of an answer: its JSON (null only when FAILED), what became of the call, and how long it took.
 *
 * @param order    the part's place in the answer, in the order the route declares its calls
 * @param required a failure of this part fails the whole response
 * @param attempts requests sent to the upstream: 0 when it was not called, more than 1 after retries
 * @param failure  null when OK
 * @param reason   a short human explanation when not OK, e.g. "upstream answered 503"
 */
public record PartResult(String name, int order, PartStatus status, JsonNode value, long nanos, boolean required,
                         int attempts, Failure failure, String reason) {

    public boolean ok() {
        return status == PartStatus.OK;
    }

    /** A required part that has no value: the whole response fails. */
    public boolean failsResponse() {
        return required && status != PartStatus.OK;
    }
}
