package io.hookbridge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Timestamps#format} must write exactly what {@link Instant#toString()} writes: stored events depend on it. */
class TimestampsFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-12-01T03:50:24Z", "2026-12-01T03:50:24.100Z", "2026-12-01T03:50:24.120Z", "2026-12-01T03:50:24.123Z",
            "2026-12-01T03:50:24.000100Z", "2026-12-01T03:50:24.123456Z", "2026-12-01T03:50:24.000000001Z",
            "2026-12-01T03:50:24.123456789Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z"})
    void writesWhatInstantToStringWrites(String text) {
        Instant instant = Instant.parse(text);

        assertThat(Timestamps.format(instant)).isEqualTo(instant.toString()).isEqualTo(text);
    }

    @Test
    void agreesWithInstantToStringAcrossTheFourDigitYears() {
        SplittableRandom random = new SplittableRandom(20261201);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(first - 100, last + 100);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);

            assertThat(Timestamps.format(instant)).isEqualTo(instant.toString());
        }
    }
}
