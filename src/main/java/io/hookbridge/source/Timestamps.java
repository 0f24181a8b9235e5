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
    private static final long MILLIS_THRESHOLD_LONG = 100_000_000_000L;
    private static final BigDecimal MILLIS_THRESHOLD = BigDecimal.valueOf(MILLIS_THRESHOLD_LONG);

    private Timestamps() { }

    /** @return the instant, or null if the value is not a timestamp */
    public static Instant parse(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (value.isIntegralNumber() && value.canConvertToLong()) return fromEpoch(value.longValue());
        if (value.isNumber()) return fromEpoch(value.decimalValue());
        if (!value.isTextual()) return null;
        String text = value.asText().strip();
        if (text.isEmpty()) return null;
        char last = text.charAt(text.length() - 1);
        if (Character.isDigit(last) && EPOCH.matcher(text).matches()) return fromEpoch(new BigDecimal(text));
        String iso = text.indexOf('T') < 0 && text.indexOf(' ') == 10 ? text.replace(' ', 'T') : text;
        Instant fast = fastIso(iso);
        if (fast != null) return fast;
        try {
            // with a zone (Z or +hh:mm) it is an offset date-time; without, a local one taken as UTC
            return hasZone(iso) ? OffsetDateTime.parse(iso).toInstant() : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException unknown) {
            return null;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|-hh:mm)}, the shape nearly every vendor sends, read without
     * DateTimeFormatter (whose general parser was a sixth of ingest's CPU); anything else returns null.
     */
    public static Instant fastIso(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
        int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) return null;
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(s.charAt(i))) i++;
            int count = i - start;
            if (count == 0 || count > 9) return null;
            nanos = digits(s, start, i);
            for (int k = count; k < 9; k++) nanos *= 10;
        }
        int offsetSeconds;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, i + 3), om = digits(s, i + 4, i + 6);
            if ((oh | om) < 0 || oh > 18 || om > 59) return null;
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (java.time.DateTimeException invalid) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean hasZone(String iso) {
        int time = iso.indexOf('T');
        if (time < 0) return false;
        char last = iso.charAt(iso.length() - 1);
        return last == 'Z' || last == 'z' || iso.indexOf('+', time) > 0 || iso.indexOf('-', time) > 0;
    }

    /** Whole seconds or milliseconds, without BigDecimal arithmetic (which was a visible part of ingest). */
    private static Instant fromEpoch(long epoch) {
        try {
            return Math.abs(epoch) >= MILLIS_THRESHOLD_LONG ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return null;
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
