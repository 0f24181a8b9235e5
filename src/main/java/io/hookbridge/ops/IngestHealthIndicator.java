package io.hookbridge.ops;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import io.hookbridge.ingest.IngestGate;

/**
 * {@code ingest} in /actuator/health: DOWN while HookBridge is starting (before every route has started) or
 * stopping, so "healthy" means webhooks are taken, and a load balancer never routes them to a 503.
 */
@Component
public class IngestHealthIndicator implements HealthIndicator {

    private final IngestGate gate;

    public IngestHealthIndicator(IngestGate gate) {
        this.gate = gate;
    }

    @Override
    public Health health() {
        String refusal = gate.refusal();
        return refusal == null ? Health.up().build() : Health.down().withDetail("reason", refusal).build();
    }
}
