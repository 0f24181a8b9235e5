package io.hookbridge.source;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Vendor timestamps to instants: ISO 8601 text (with or without offset), or epoch seconds or milliseconds. */
public final class Timestamps {

    private static final Pattern EPOCH = Pattern.compile("-?\\d+(\\.\\d+)?");

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
        char last = text.charAt(text.length() - 1);
        if (Character.isDigit(last) && EPOCH.matcher(text).matches()) return fromEpoch(new BigDecimal(text));
        String iso = text.indexOf('T') < 0 && text.indexOf(' ') == 10 ? text.replace(' ', 'T') : text;
        try {
            // with a zone (Z or +hh:mm) it is an offset date-time; without, a local one taken as UTC
            return hasZone(iso) ? OffsetDateTime.parse(iso).toInstant() : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException unknown) {
            return null;
        }
    }

    private static boolean hasZone(String iso) {
        int time = iso.indexOf('T');
        if (time < 0) return false;
        char last = iso.charAt(iso.length() - 1);
        return last == 'Z' || last == 'z' || iso.indexOf('+', time) > 0 || iso.indexOf('-', time) > 0;
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
