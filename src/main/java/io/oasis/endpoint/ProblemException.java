package io.oasis.endpoint;

import java.util.Map;

/**
 * A request Oasis refuses, answered as {@code application/problem+json} with the given response headers. Thrown for
 * bad input and exhausted limits, so it carries no stack trace: building one costs more than the answer.
 */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public Problem problem() {
        return problem;
    }

    /** Response headers that go with the problem, e.g. Retry-After. */
    public Map<String, String> headers() {
        return headers;
    }
}
