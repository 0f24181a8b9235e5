package io.hookbridge.delivery;

/** Told of every delivery attempt and outcome (metrics, the attempt log, the outcome log line). */
public interface DeliveryListener {

    enum Outcome { DELIVERED, RETRYING, DEAD_LETTERED, SKIPPED }

    void attempted(DeliveryAttempt attempt);

    /** @param receivedAt when the broker took the event ({@link io.hookbridge.broker.EventMessages#RECEIVED}) */
    void outcome(String subscription, String eventId, long receivedAt, String source, String type, Outcome outcome, int attempts,
                 long latencyMillis);
}
