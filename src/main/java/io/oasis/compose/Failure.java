package io.oasis.compose;

/** Why a part has no fresh value; decides 502 versus 504 when the part is required. */
public enum Failure {
    /** The upstream answered with an error status. */
    UPSTREAM_STATUS,
    /** The upstream answered 2xx with a body that is not JSON. */
    MALFORMED,
    /** Connection refused, reset, or no free pooled connection in time. */
    CONNECTION,
    /** No answer within the call's timeout or the endpoint's budget. */
    TIMEOUT,
    /** A part this one depends on did not succeed. */
    DEPENDENCY,
    /** A bug or an unexpected exception in Oasis or a route step. */
    INTERNAL;

    public boolean isTimeout() {
        return this == TIMEOUT;
    }
}
