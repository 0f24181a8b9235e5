package io.hookbridge.source;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/** Vendor timestamps to instants: ISO 8601 text (with or without offset), or epoch seconds or milliseconds. */
public final class Timestamps {

    /** Epoch values at or above this are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
    private static final BigDecimal MILLIS_THRESHOLD = new BigDecimal("100000000000");

    private Timestamps() { }

    /** @return the instant, or null if the value is not a timestamp */
    public static Instant parse(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (value.isNumber()) return fromEpoch(value.decimalValue());
        if (!value.isTextual()) return null;
        String text = value.asText().strip();
        if (text.isEmpty()) return null;
        if (text.matches("-?\\d+(\\.\\d+)?")) return fromEpoch(new BigDecimal(text));
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
                } catch (DateTimeParseException unknown) {
                    return null;
                }
            }
        }
    }

    private static Instant fromEpoch(BigDecimal epoch) {
        try {
            BigDecimal millis = epoch.abs().compareTo(MILLIS_THRESHOLD) >= 0 ? epoch : epoch.movePointRight(3);
            BigDecimal nanos = millis.movePointRight(6);
            BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
            return Instant.ofEpochSecond(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }
}
