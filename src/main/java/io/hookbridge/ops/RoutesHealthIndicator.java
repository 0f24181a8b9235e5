package io.hookbridge.ops;

import java.util.List;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.hookbridge.delivery.RouteProblem;
import io.hookbridge.delivery.RoutesDirectory;

/**
 * {@code routes} in /actuator/health: the subscriptions running and the route files refused since start-up,
 * as {@code file:line: problem}. Always UP: a refused edit leaves the file's previous version running, and
 * taking the instance out of its load balancer for a typo would stop every vendor's webhooks instead of none.
 */
@Component
public class RoutesHealthIndicator implements HealthIndicator {

    private final RoutesDirectory routes;

    public RoutesHealthIndicator(RoutesDirectory routes) {
        this.routes = routes;
    }

    @Override
    public Health health() {
        List<String> problems = routes.problems().stream().map(RouteProblem::toString).toList();
        return Health.up()
                .withDetail("dir", routes.directory().toString())
                .withDetail("subscriptions", routes.subscriptionNames())
                .withDetail("problems", problems)
                .build();
    }
}
