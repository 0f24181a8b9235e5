package io.hookbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The vendor payloads under src/test/resources/fixtures and what each must normalize to (manifest.csv). */
public final class Fixtures {

    public record Fixture(String file, String source, String vendorEvent, String canonicalType, String subject, String time) {
        public byte[] body() {
            return read("fixtures/" + file);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private Fixtures() { }

    public static List<Fixture> all() {
        List<Fixture> fixtures = new ArrayList<>();
        String manifest = new String(read("fixtures/manifest.csv"), StandardCharsets.UTF_8);
        for (String line : manifest.lines().skip(1).toList()) {
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            fixtures.add(new Fixture(f[0], f[1], f[2], f[3], f[4], f[5]));
        }
        return fixtures;
    }

    /**
     * The same vendor event as a new delivery with its own event id: a fresh idempotency_key for Attendee,
     * trailing whitespace unique to this call (a different body hash) for the others.
     */
    public static byte[] unique(String source, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (source.equals("attendee")) {
            return text.replaceFirst("\"idempotency_key\": ?\"[^\"]*\"",
                    "\"idempotency_key\": \"" + java.util.UUID.randomUUID() + "\"").getBytes(StandardCharsets.UTF_8);
        }
        String whitespace = Integer.toBinaryString(SEQUENCE.incrementAndGet()).replace('0', ' ').replace('1', '\t');
        return (text + "\n" + whitespace).getBytes(StandardCharsets.UTF_8);
    }

    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    public static List<Fixture> of(String source) {
        return all().stream().filter(f -> f.source().equals(source)).toList();
    }

    public static byte[] read(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
