package io.hookbridge.delivery;

/** Where each event's latest outcome per subscription is written down (the event index), off the delivery path. */
public interface OutcomeLog {

    /** Only queues the outcome: a delivery never waits for it. */
    void outcome(String subscription, String eventId, long receivedAt, DeliveryListener.Outcome outcome, int attempts);
}
