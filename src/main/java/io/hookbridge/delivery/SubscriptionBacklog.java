package io.hookbridge.delivery;

/** What a running subscription holds unacknowledged, as its session thread sees it. */
public interface SubscriptionBacklog {

    /**
     * @param held          events received and not yet settled (in flight, or waiting in their subject's lane)
     * @param behindRetries of those, the events whose subject waits on a retry's backoff (the retrying one included)
     */
    record Held(int held, int behindRetries) { }

    /** @return null when the session thread did not answer in time (stopping, or reconnecting to the broker) */
    Held held(long timeoutMillis);
}
