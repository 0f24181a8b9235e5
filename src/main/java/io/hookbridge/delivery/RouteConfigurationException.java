package io.hookbridge.delivery;

/** A route file HookBridge cannot start with: the message is {@code file:line: problem}. */
public class RouteConfigurationException extends RuntimeException {

    private final RouteProblem problem;

    public RouteConfigurationException(String file, int line, String problem) {
        this(new RouteProblem(file, line, problem));
    }

    public RouteConfigurationException(RouteProblem problem) {
        super(problem.toString(), null, false, false);
        this.problem = problem;
    }

    public RouteProblem problem() {
        return problem;
    }
}
