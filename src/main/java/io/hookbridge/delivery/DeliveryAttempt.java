package io.hookbridge.delivery;

import java.time.Instant;

/**
 * One try at delivering one event to one subscription.
 *
 * @param status       the HTTP status, or 0 when no answer came (timeout, refused, reset)
 * @param error        what went wrong, or null on success
 * @param responseBody the start of the receiver's answer to a failed attempt (at most {@value #MAX_RESPONSE_BODY}
 *                     characters), or null
 */
public record DeliveryAttempt(String subscription, String eventId, String source, String type, int attempt,
                              Instant time, int status, long durationMillis, String error, String responseBody) {

    public static final int MAX_RESPONSE_BODY = 1000;

    public DeliveryAttempt(String subscription, String eventId, String source, String type, int attempt,
                           Instant time, int status, long durationMillis, String error) {
        this(subscription, eventId, source, type, attempt, time, status, durationMillis, error, null);
    }

    public boolean succeeded() {
        return error == null;
    }
}
