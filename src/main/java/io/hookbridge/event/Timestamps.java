package io.hookbridge.event;

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

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years Instant.toString writes as four bare digits. */
    private static final long FIRST_FAST_SECOND = -62_167_219_200L;
    private static final long LAST_FAST_SECOND = 253_402_300_799L;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

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

    /**
     * The same text as {@link Instant#toString()} (RFC 3339 in UTC, the fraction in groups of three digits, none
     * when zero), written without DateTimeFormatter, which cost about 1% of ingest's CPU for one field per event.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FAST_SECOND || seconds > LAST_FAST_SECOND) return instant.toString();
        LocalDateTime utc = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int nanos = instant.getNano();
        int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] text = new char[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        put(text, 0, utc.getYear(), 4);
        text[4] = '-';
        put(text, 5, utc.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, utc.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, utc.getHour(), 2);
        text[13] = ':';
        put(text, 14, utc.getMinute(), 2);
        text[16] = ':';
        put(text, 17, utc.getSecond(), 2);
        int i = 19;
        if (fractionDigits > 0) {
            text[i++] = '.';
            put(text, i, nanos / POWERS_OF_TEN[9 - fractionDigits], fractionDigits);
            i += fractionDigits;
        }
        text[i] = 'Z';
        return new String(text);
    }

    private static void put(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
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
