package io.hookbridge.index;

import java.time.Instant;

/**
 * A filter over the index; null fields match anything. {@code status} is about {@code subscription} when it is
 * given, else about any subscription. {@code since} and {@code until} bound when the event was received.
 *
 * @param before only events earlier in the index than this position (a page's cursor); null for the newest
 */
public record EventQuery(String source, String type, String subject, EventStatus status, String subscription,
                         Instant since, Instant until, Long before) {

    public EventQuery withBefore(Long position) {
        return new EventQuery(source, type, subject, status, subscription, since, until, position);
    }
}
