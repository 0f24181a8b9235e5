package io.hookbridge.delivery;

import java.time.Instant;

/**
 * One try at delivering one event to one subscription.
 *
 * @param status the HTTP status, or 0 when no answer came (timeout, refused, reset)
 * @param error  what went wrong, or null on success
 */
public record DeliveryAttempt(String subscription, String eventId, String source, String type, int attempt,
                              Instant time, int status, long durationMillis, String error) {

    public boolean succeeded() {
        return error == null;
    }
}
