package io.hookbridge.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Delivery outcomes as metrics ({@code hookbridge_deliveries_total{subscription,outcome}}, the
 * {@code hookbridge_delivery_latency} histogram), per-subscription counts for the admin API, one log line per
 * outcome, and each attempt passed on to the attempt log.
 */
@Component
public class DeliveryMetrics implements DeliveryListener {

    private static final Logger log = LoggerFactory.getLogger(DeliveryMetrics.class);

    private final MeterRegistry meters;
    private final ObjectProvider<AttemptLog> attemptLog;
    private final Map<String, Map<Outcome, AtomicLong>> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failedAttempts = new ConcurrentHashMap<>();
    private volatile AttemptLog resolvedAttemptLog;
    private final ObjectProvider<OutcomeLog> outcomeLog;
    private volatile OutcomeLog resolvedOutcomeLog;
    /** registered once per subscription and outcome: building and registering them per delivery was measurable */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry meters, ObjectProvider<AttemptLog> attemptLog, ObjectProvider<OutcomeLog> outcomeLog) {
        this.meters = meters;
        this.attemptLog = attemptLog;
        this.outcomeLog = outcomeLog;
    }

    @Override
    public void attempted(DeliveryAttempt attempt) {
        if (!attempt.succeeded()) {
            failedAttempts.computeIfAbsent(attempt.subscription(), k -> new AtomicLong()).incrementAndGet();
            counter(attempt.subscription(), "failed").increment();
            log.info("delivery attempt failed id={} source={} type={} subscription={} attempt={} status={} error={}",
                    attempt.eventId(), attempt.source(), attempt.type(), attempt.subscription(), attempt.attempt(),
                    attempt.status(), attempt.error());
        }
        AttemptLog recorder = recorder();
        if (recorder != null) recorder.record(attempt);
    }

    private Counter counter(String subscription, String outcome) {
        return counters.computeIfAbsent(subscription + '\u0000' + outcome, k -> Counter.builder("hookbridge.deliveries")
                .tag("subscription", subscription).tag("outcome", outcome)
                .description("Delivery attempts and outcomes per subscription").register(meters));
    }

    /** Looked up once: resolving it from the bean factory on every attempt was measurable. */
    private AttemptLog recorder() {
        AttemptLog found = resolvedAttemptLog;
        if (found == null) {
            found = attemptLog.getIfAvailable();
            resolvedAttemptLog = found;
        }
        return found;
    }

    @Override
    public void outcome(String subscription, String eventId, long receivedAt, String source, String type, Outcome outcome, int attempts,
                        long latencyMillis) {
        counts.computeIfAbsent(subscription, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        String name = outcome.name().toLowerCase();
        counter(subscription, name).increment();
        if (outcome == Outcome.DELIVERED) {
            latencies.computeIfAbsent(subscription, k -> Timer.builder("hookbridge.delivery.latency").tag("subscription", k)
                    .description("From the event's arrival on the broker to its successful delivery")
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(meters)).record(Duration.ofMillis(latencyMillis));
        }
        OutcomeLog outcomes = resolvedOutcomeLog;
        if (outcomes == null) resolvedOutcomeLog = outcomes = outcomeLog.getIfAvailable();
        if (outcomes != null) outcomes.outcome(subscription, eventId, receivedAt, outcome, attempts);
        if (outcome != Outcome.RETRYING) {
            log.info("delivery {} id={} source={} type={} subscription={} attempts={}", name, eventId, source, type, subscription, attempts);
        }
    }

    /** Events delivered, retrying, dead-lettered and skipped, and attempts failed, for one subscription since start. */
    public Map<String, Long> counts(String subscription) {
        Map<Outcome, AtomicLong> byOutcome = counts.getOrDefault(subscription, Map.of());
        return Map.of(
                "delivered", value(byOutcome.get(Outcome.DELIVERED)),
                "failed", value(failedAttempts.get(subscription)),
                "retrying", value(byOutcome.get(Outcome.RETRYING)),
                "deadLettered", value(byOutcome.get(Outcome.DEAD_LETTERED)),
                "skipped", value(byOutcome.get(Outcome.SKIPPED)));
    }

    /** Attempts that succeeded over all attempts since start, or null before the first. */
    public Double successRate(String subscription) {
        long delivered = value(counts.getOrDefault(subscription, Map.of()).get(Outcome.DELIVERED));
        long failed = value(failedAttempts.get(subscription));
        return delivered + failed == 0 ? null : (double) delivered / (delivered + failed);
    }

    public List<String> subscriptions() {
        return List.copyOf(counts.keySet());
    }

    private static long value(AtomicLong counter) {
        return counter == null ? 0 : counter.get();
    }
}
