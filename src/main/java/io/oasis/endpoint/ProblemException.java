package io.oasis.endpoint;

/**
 * A request Oasis refuses, answered as {@code application/problem+json}. Thrown for bad input, so it carries no
 * stack trace: building one costs more than the answer.
 */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
