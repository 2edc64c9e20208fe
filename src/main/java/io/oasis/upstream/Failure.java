package io.oasis.upstream;

import java.util.Locale;

/**
 * Why a part has no fresh value. Decides 502 versus 504 when the part is required, and is the {@code outcome} tag
 * of the upstream call metrics.
 */
public enum Failure {
    /** The upstream answered with an error status. */
    UPSTREAM_STATUS("error"),
    /** The upstream answered 2xx with a body that is not JSON, or larger than allowed. */
    MALFORMED("error"),
    /** Connection refused or reset, or no free pooled connection in time. */
    CONNECTION("error"),
    /** No answer within the call's timeout or the endpoint's budget. */
    TIMEOUT("timeout"),
    /** Not called: the upstream's circuit breaker is open. */
    SHORT_CIRCUITED("short_circuited"),
    /** Not called: the upstream's rate limit is reached. */
    RATE_LIMITED("rate_limited"),
    /** Not called: the upstream's bulkhead (calls in flight) is full. */
    REJECTED("rejected"),
    /** Not attempted: a part this one depends on did not succeed. */
    DEPENDENCY("skipped"),
    /** A bug or an unexpected exception in Oasis or a route step. */
    INTERNAL("error");

    private final String outcome;

    Failure(String outcome) {
        this.outcome = outcome;
    }

    public boolean isTimeout() {
        return this == TIMEOUT;
    }

    /** The metrics tag: ok, error, timeout, short_circuited, rate_limited, rejected, skipped. */
    public String outcome() {
        return outcome;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
