package io.hookbridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** When to try again: exponential backoff from {@code initialDelay}, capped at {@code maxDelay}; Retry-After wins when larger. */
public record RetrySchedule(int maxAttempts, long initialDelayMillis, double backoffMultiplier, long maxDelayMillis) {

    /** @param attempt the attempt that just failed, from 1 */
    public long delayAfter(int attempt, String retryAfter, Instant now) {
        double delay = initialDelayMillis * Math.pow(backoffMultiplier, attempt - 1);
        long backoff = (long) Math.min(delay, maxDelayMillis);
        long asked = retryAfterMillis(retryAfter, now);
        return Math.min(Math.max(backoff, asked), maxDelayMillis);
    }

    public boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }

    /** Retry-After as delay-seconds or an HTTP date; 0 when absent or unreadable. */
    static long retryAfterMillis(String retryAfter, Instant now) {
        if (retryAfter == null || retryAfter.isBlank()) return 0;
        String value = retryAfter.strip();
        try {
            return Math.max(0, Long.parseLong(value)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(now, at).toMillis());
            } catch (DateTimeParseException notDate) {
                return 0;
            }
        }
    }
}
