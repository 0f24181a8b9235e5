package io.hookbridge.bench;

import io.hookbridge.vendor.attendee.AttendeeCanonicalJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook mix: every valid fixture of {@code src/test/resources/fixtures/manifest.csv} (all five vendors,
 * their realistic sizes), taken round-robin by sequence number, each made unique and signed the way its vendor
 * signs.
 *
 * <p>Uniqueness: every body carries a <em>marker</em>, {@code bnch<4 hex run id><12 hex sequence>}. Attendee's
 * {@code idempotency_key} (its event id) is replaced by the marker; the other vendors get one extra top-level
 * field {@code "bench_ref":"<marker>"} (their event id is the SHA-256 of the raw body, so it changes too). The
 * marker survives every rendering the gateway delivers (the canonical event carries the full vendor payload;
 * a bridged event carries it under {@code data.hookbridge.payload}, or is the payload itself when passed
 * through), which is how the receiver matches a delivery to the request that caused it.
 */
final class Workload {

    static final String MARKER_PREFIX = "bnch";
    static final int MARKER_LENGTH = 4 + 16;

    /** Vendor event names SpaceOS has for canonical types (CONTRACT section 3, the spaceos column). */
    static final Set<String> SPACEOS_BRIDGED_TYPES = Set.of("session.started", "session.ended", "schedule.created", "schedule.cancelled");

    record Fixture(String file, String source, String type, byte[] head, byte[] tail, byte[] canonicalHead,
                   byte[] canonicalTail, boolean bridged) {
        int bodyLength() {
            return head.length + MARKER_LENGTH + tail.length;
        }
    }

    /** One request ready to write: the HTTP head and the body. */
    record Request(byte[] head, byte[] body, Fixture fixture) { }

    final List<Fixture> fixtures;
    final Map<String, String> secrets;
    final int runId;
    final String hostHeader;
    final String pathSource; // null: the fixture's own source

    Workload(Path fixturesDir, Map<String, String> secrets, int runId, String hostHeader, String pathSource,
             Set<String> bridgedTypes, String bridgeSource) throws IOException {
        this.secrets = secrets;
        this.runId = runId & 0xffff;
        this.hostHeader = hostHeader;
        this.pathSource = pathSource;
        this.fixtures = load(fixturesDir, bridgedTypes, bridgeSource);
        for (Fixture f : fixtures) {
            if (secrets.get(f.source) == null) throw new IllegalArgumentException("no secret for source " + f.source);
        }
    }

    private static final Pattern ATTENDEE_KEY = Pattern.compile("\"idempotency_key\"\\s*:\\s*\"([^\"\\\\]+)\"");

    private static List<Fixture> load(Path dir, Set<String> bridgedTypes, String bridgeSource) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("manifest.csv"), StandardCharsets.UTF_8);
        List<Fixture> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] cols = line.split(",", -1);
            String file = cols[0], source = cols[1], type = cols[3];
            byte[] raw = Files.readAllBytes(dir.resolve(file));
            String text = new String(raw, StandardCharsets.UTF_8);
            boolean bridged = source.equals(bridgeSource) || bridgedTypes.contains(type);
            if (source.equals("attendee")) {
                Matcher m = ATTENDEE_KEY.matcher(text);
                if (!m.find()) throw new IllegalArgumentException(file + ": no idempotency_key");
                String key = m.group(1);
                byte[] canonical = AttendeeCanonicalJson.canonicalize(raw);
                String canonicalText = new String(canonical, StandardCharsets.UTF_8);
                if (count(text, key) != 1 || count(canonicalText, key) != 1) {
                    throw new IllegalArgumentException(file + ": idempotency_key value occurs more than once");
                }
                int at = m.start(1);
                int cat = canonicalText.indexOf(key);
                out.add(new Fixture(file, source, type,
                        utf8(text.substring(0, at)), utf8(text.substring(at + key.length())),
                        utf8(canonicalText.substring(0, cat)), utf8(canonicalText.substring(cat + key.length())), bridged));
            } else {
                int brace = text.indexOf('{');
                if (brace < 0) throw new IllegalArgumentException(file + ": not a JSON object");
                String head = text.substring(0, brace + 1) + "\"bench_ref\":\"";
                String tail = "\"," + text.substring(brace + 1);
                out.add(new Fixture(file, source, type, utf8(head), utf8(tail), null, null, bridged));
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no fixtures in " + dir);
        return out;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Fixture fixture(long seq) {
        return fixtures.get((int) (seq % fixtures.size()));
    }

    long averageBodyBytes() {
        return Math.round(fixtures.stream().mapToInt(Fixture::bodyLength).average().orElse(0));
    }

    long count(String source) {
        return fixtures.stream().filter(f -> f.source.equals(source)).count();
    }

    long bridgedCount() {
        return fixtures.stream().filter(Fixture::bridged).count();
    }

    byte[] marker(long seq) {
        return String.format("%s%04x%012x", MARKER_PREFIX, runId, seq).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Finds the first marker of this run in a delivered body.
     *
     * @return its sequence number, or -1
     */
    long findSeq(byte[] body, int length) {
        outer:
        for (int i = 0; i + MARKER_LENGTH <= length; i++) {
            if (body[i] != 'b' || body[i + 1] != 'n' || body[i + 2] != 'c' || body[i + 3] != 'h') continue;
            long run = 0, seq = 0;
            for (int k = 0; k < 16; k++) {
                int d = Character.digit(body[i + 4 + k], 16);
                if (d < 0) continue outer;
                if (k < 4) run = run << 4 | d; else seq = seq << 4 | d;
            }
            if (run == runId) return seq;
        }
        return -1;
    }

    /** Per-thread signing state (Mac instances are not thread-safe). */
    final class Signer {
        private final Mac recordings = mac(secrets.get("recordings").getBytes(StandardCharsets.UTF_8));
        private final Mac spaceos = mac(secrets.get("spaceos").getBytes(StandardCharsets.UTF_8));
        private final Mac attendee = mac(Base64.getDecoder().decode(secrets.get("attendee").strip()));
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        private final HexFormat hex = HexFormat.of();

        Request request(long seq) {
            Fixture f = fixture(seq);
            byte[] marker = marker(seq);
            buf.reset();
            buf.writeBytes(f.head);
            buf.writeBytes(marker);
            buf.writeBytes(f.tail);
            byte[] body = buf.toByteArray();
            String auth = switch (f.source) {
                case "pencil" -> "Authorization: Bearer " + secrets.get("pencil");
                case "iotum" -> "x-signing-token: " + secrets.get("iotum");
                case "recordings" -> "X-Webhook-Signature: sha256=" + hex.formatHex(recordings.doFinal(body));
                case "spaceos" -> "X-Webhook-Signature: " + hex.formatHex(spaceos.doFinal(body));
                case "attendee" -> {
                    attendee.update(f.canonicalHead);
                    attendee.update(marker);
                    attendee.update(f.canonicalTail);
                    yield "X-Webhook-Signature: " + Base64.getEncoder().encodeToString(attendee.doFinal());
                }
                default -> throw new IllegalStateException(f.source);
            };
            String head = "POST /webhooks/" + (pathSource != null ? pathSource : f.source) + " HTTP/1.1\r\n"
                    + "Host: " + hostHeader + "\r\n"
                    + "User-Agent: hookbridge-bench\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + auth + "\r\n\r\n";
            return new Request(head.getBytes(StandardCharsets.UTF_8), body, f);
        }
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
