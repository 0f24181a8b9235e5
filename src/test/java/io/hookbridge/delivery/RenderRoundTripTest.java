package io.hookbridge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.outbound.OutboundRequest;
import io.hookbridge.vendor.outbound.TemplateFormat;
import io.hookbridge.event.EventJson;
import io.hookbridge.vendor.VendorDefinition;
import io.hookbridge.vendor.VendorCatalog;
import io.hookbridge.vendor.TypeTable;
import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.inbound.WebhookSource;

/**
 * Every fixture of manifest.csv, normalized by its own source, rendered into each of the five vendor formats,
 * and fed back into that vendor's own {@link WebhookSource}: it must verify (real HMACs, real tokens) and
 * normalize to the same canonical type, subject and time (and for Attendee, the same id). An event is skipped
 * exactly when the CONTRACT section 3 table gives the target no name for it.
 */
class RenderRoundTripTest {

    static final List<String> VENDORS = List.of("pencil", "iotum", "recordings", "attendee", "spaceos");

    /**
     * The canonical types each vendor has a name for, copied from the CONTRACT section 3 table (written out
     * here, not derived from the source definitions the renderers use, so the two are checked against each other).
     */
    static final Map<String, Set<String>> EXPRESSIBLE = Map.of(
            "pencil", Set.of("session.ended", "participant.joined", "participant.left", "participant.hidden",
                    "participant.visible", "recording.ready", "transcript.ready", "schedule.created", "schedule.updated",
                    "schedule.deleted", "schedule.cancelled", "attendance.updated"),
            "iotum", Set.of("session.started", "session.ended", "participant.joined", "participant.left",
                    "recording.started", "recording.stopped", "recording.ready", "transcript.ready"),
            "recordings", Set.of("session.started", "session.ended", "recording.started", "recording.ready",
                    "transcript.ready", "schedule.created", "schedule.updated", "schedule.deleted"),
            "attendee", Set.of("session.started", "session.ended", "participant.joined", "participant.left",
                    "recording.started", "recording.stopped", "recording.ready", "transcript.utterance", "chat.message"),
            "spaceos", Set.of("session.started", "session.ended", "schedule.created", "schedule.cancelled"));

    /** Every canonical type of the CONTRACT table. */
    static final List<String> CANONICAL_TYPES = List.of("session.started", "session.ended", "participant.joined",
            "participant.left", "participant.hidden", "participant.visible", "recording.started", "recording.stopped",
            "recording.ready", "transcript.ready", "transcript.utterance", "chat.message", "schedule.created",
            "schedule.updated", "schedule.deleted", "schedule.cancelled", "attendance.updated");

    /** Outbound (subscription) secrets; Attendee's is base64 like the one its dashboard shows. */
    static final Map<String, String> SECRETS = Map.of(
            "pencil", "pencil-subscription-secret",
            "iotum", "iotum-subscription-token",
            "recordings", "recordings-subscription-secret",
            "attendee", Base64.getEncoder().encodeToString("attendee-subscription-key-0123456789".getBytes(StandardCharsets.UTF_8)),
            "spaceos", "spaceos-subscription-secret");
    /** A second, older secret still active on the subscription: vendor formats sign with the primary only. */
    static final String OLD_SECRET = Base64.getEncoder().encodeToString("an-older-rotated-out-secret".getBytes(StandardCharsets.UTF_8));

    static final Instant RECEIVED = Instant.parse("2025-02-01T12:00:00Z");
    static final Instant NOW = Instant.parse("2025-02-01T12:00:05Z");

    static Map<String, VendorDefinition> definitions;
    /** Inbound sources for the fixtures (normalize only). */
    static Map<String, WebhookSource> fixtureSources;
    /** Target sources configured with the subscription's secret, as a receiver of that vendor would be. */
    static Map<String, WebhookSource> targetSources;
    static List<Fixture> fixtures;

    record Fixture(String file, String source, String vendorEvent, String type, String subject, String time) {
        byte[] body() throws IOException {
            try (InputStream in = RenderRoundTripTest.class.getResourceAsStream("/fixtures/" + file)) {
                assertNotNull(in, "fixture " + file);
                return in.readAllBytes();
            }
        }
    }

    @BeforeAll
    static void load() throws IOException {
        definitions = new LinkedHashMap<>();
        for (VendorDefinition definition : VendorCatalog.builtInDefinitions()) definitions.put(definition.id, definition);
        assertEquals(new TreeSet<>(VENDORS), new TreeSet<>(definitions.keySet()), "source definitions on the class path");
        fixtureSources = new LinkedHashMap<>();
        targetSources = new LinkedHashMap<>();
        for (String vendor : VENDORS) {
            fixtureSources.put(vendor, VendorCatalog.source(definitions.get(vendor), List.of("fixture-secret-" + vendor)));
            targetSources.put(vendor, VendorCatalog.source(definitions.get(vendor), List.of(SECRETS.get(vendor))));
        }
        fixtures = new ArrayList<>();
        try (InputStream in = RenderRoundTripTest.class.getResourceAsStream("/fixtures/manifest.csv")) {
            assertNotNull(in, "fixtures/manifest.csv");
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals("file,source,vendorEvent,canonicalType,subject,time", lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] c = line.split(",", -1);
                assertEquals(6, c.length, "manifest line " + line);
                fixtures.add(new Fixture(c[0], c[1], c[2], c[3], c[4].isEmpty() ? null : c[4], c[5].isEmpty() ? null : c[5]));
            }
        }
        for (String vendor : VENDORS) {
            assertTrue(fixtures.stream().anyMatch(f -> f.source().equals(vendor)), "manifest lists fixtures of " + vendor);
        }
    }

    static boolean expectSkip(String source, String type, String target) {
        if (source.equals(target)) return false; // passed through
        return type.startsWith(TypeTable.VENDOR_PREFIX) || !EXPRESSIBLE.get(target).contains(type);
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureIntoEveryVendor() {
        return fixtures.stream().flatMap(fixture -> VENDORS.stream().map(target ->
                DynamicTest.dynamicTest(fixture.file() + " -> " + target, () -> roundTrip(fixture, target))));
    }

    private void roundTrip(Fixture fixture, String target) throws IOException {
        CanonicalEvent event = fixtureSources.get(fixture.source()).normalize(fixture.body(), RECEIVED);
        assertEquals(fixture.type(), event.type(), "normalized type (manifest)");
        assertEquals(fixture.subject(), event.subject(), "normalized subject (manifest)");

        Optional<OutboundRequest> rendered = EventRenderers.forFormat(target).render(event, List.of(SECRETS.get(target), OLD_SECRET), NOW);
        // a subscription skips without rendering when expresses() is false: that must be exactly when render is empty
        assertEquals(rendered.isPresent(), EventRenderers.forFormat(target).expresses(event.type(), event.sourceId()),
                target + ".expresses(" + event.type() + ", " + event.sourceId() + ")");
        if (expectSkip(fixture.source(), event.type(), target)) {
            assertTrue(rendered.isEmpty(), target + " has no name for " + event.type() + ", so it must be skipped");
            return;
        }
        OutboundRequest request = rendered.orElseThrow(() -> new AssertionError(target + " must render " + event.type()));
        assertEquals("application/json", request.contentType());

        CanonicalEvent back = receive(target, request);
        assertEquals(event.type(), back.type(), "canonical type after " + target);
        assertEquals(event.subject(), back.subject(), "subject after " + target);
        assertEquals(event.time(), back.time(), "time after " + target);
        if (target.equals("attendee")) assertEquals(event.id(), back.id(), "id after attendee (its idempotency_key)");
        if (event.type().startsWith("participant.")) {
            assertEquals(text(event.data().at("/participant/id")), text(back.data().at("/participant/id")), "participant id after " + target);
        }
        if (!fixture.source().equals(target)) {
            assertEquals(target, back.sourceId());
            JsonNode origin = originOf(target, back.data().path("vendor").path("payload"));
            assertEquals(event.id(), origin.path("id").asText(), "hookbridge.id");
            assertEquals(fixture.source(), origin.path("source").asText(), "hookbridge.source");
            assertEquals(fixture.vendorEvent(), origin.path("event").asText(), "hookbridge.event");
            assertSameJson(event.vendorPayload(), origin.path("payload"), "hookbridge.payload");
        } else {
            assertSameJson(event.vendorPayload(), back.vendorPayload(), "a pass-through keeps the original payload");
            assertEquals(event.vendorEvent(), back.vendorEvent());
        }
    }

    /** What a receiver of that vendor does: verify the credential, then normalize. */
    static CanonicalEvent receive(String target, OutboundRequest request) {
        WebhookSource receiver = targetSources.get(target);
        receiver.verify(request.body(), request::header);
        return receiver.normalize(request.body(), RECEIVED);
    }

    static JsonNode originOf(String target, JsonNode payload) {
        return switch (target) {
            case "pencil" -> payload.path(TemplateFormat.ORIGIN_FIELD);
            case "iotum" -> payload.path("payload").path(TemplateFormat.ORIGIN_FIELD);
            default -> payload.path("data").path(TemplateFormat.ORIGIN_FIELD);
        };
    }

    static String text(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /**
     * The whole skip matrix, for every canonical type of the CONTRACT table (not only those the fixtures hold),
     * rendered from a synthetic event of another source: what each vendor skips must be exactly what the table
     * implies, and whatever renders must verify and normalize back to the same type and subject.
     */
    @Test
    void skipMatrixIsTheContractTable() {
        Map<String, Set<String>> expected = new TreeMap<>();
        Map<String, Set<String>> actual = new TreeMap<>();
        for (String target : VENDORS) {
            expected.put(target, new TreeSet<>());
            actual.put(target, new TreeSet<>());
            for (String type : CANONICAL_TYPES) {
                if (!EXPRESSIBLE.get(target).contains(type)) expected.get(target).add(type);
                CanonicalEvent event = synthetic(type);
                Optional<OutboundRequest> rendered = EventRenderers.forFormat(target).render(event, List.of(SECRETS.get(target)), NOW);
                assertEquals(rendered.isPresent(), EventRenderers.forFormat(target).expresses(type, event.sourceId()),
                        target + ".expresses(" + type + ", " + event.sourceId() + ")");
                if (rendered.isEmpty()) {
                    actual.get(target).add(type);
                    continue;
                }
                CanonicalEvent back = receive(target, rendered.get());
                assertEquals(type, back.type(), type + " via " + target);
                assertEquals(event.subject(), back.subject(), type + " subject via " + target);
                assertEquals(event.time(), back.time(), type + " time via " + target);
            }
        }
        assertEquals(expected, actual, "skipped canonical types per target vendor");
        // the matrix as the report states it
        assertEquals(Set.of("session.started", "recording.started", "recording.stopped", "transcript.utterance", "chat.message"),
                actual.get("pencil"));
        assertEquals(Set.of("participant.joined", "participant.left", "participant.hidden", "participant.visible",
                "recording.started", "recording.stopped", "recording.ready", "transcript.ready", "transcript.utterance",
                "chat.message", "schedule.updated", "schedule.deleted", "attendance.updated"), actual.get("spaceos"));
    }

    /** The renderers' reverse tables agree with the definitions' forward tables. */
    @Test
    void reverseTablesInvertTheSourceDefinitions() {
        for (String vendor : VENDORS) {
            TemplateFormat renderer = VendorCatalog.current().formats().get(vendor);
            assertEquals(EXPRESSIBLE.get(vendor), renderer.vendorNames().keySet(), vendor + " reverse table");
            renderer.vendorNames().forEach((type, name) -> assertEquals(type,
                    TypeTable.canonicalType(definitions.get(vendor), name.event(), name.qualifier()), vendor + " " + name));
        }
        assertEquals(new TypeTable.VendorEvent("recording.transcript.ready", null),
                VendorCatalog.current().formats().get("recordings").vendorNames().get("transcript.ready"));
        assertEquals(new TypeTable.VendorEvent("participant_events.join_leave", "leave"),
                VendorCatalog.current().formats().get("attendee").vendorNames().get("participant.left"));
    }

    @Test
    void vendorEventsOfAnotherSourceAreSkippedEverywhereButPassedThroughAtHome() throws IOException {
        Fixture offline = fixtures.stream().filter(f -> f.file().equals("spaceos/device.offline.json")).findFirst().orElseThrow();
        CanonicalEvent event = fixtureSources.get("spaceos").normalize(offline.body(), RECEIVED);
        assertEquals("vendor.spaceos.device.offline", event.type());
        for (String target : VENDORS) {
            Optional<OutboundRequest> rendered = EventRenderers.forFormat(target).render(event, List.of(SECRETS.get(target)), NOW);
            assertEquals(target.equals("spaceos"), rendered.isPresent(), target);
        }
        assertTrue(EventRenderers.forFormat("cloudevents").render(event, List.of(), NOW).isPresent(), "cloudevents renders everything");
    }

    @Test
    void shapesAndCredentialsAreTheVendors() throws IOException {
        CanonicalEvent joined = normalize("iotum/enter_conference-participant.json");

        OutboundRequest pencil = EventRenderers.forFormat("pencil").render(joined, List.of("s3cret"), NOW).orElseThrow();
        assertEquals("Bearer s3cret", pencil.header("authorization"));
        JsonNode p = json(pencil);
        assertEquals("SPACE_USER", p.path("_type").asText());
        assertEquals("joinSpace", p.path("eventType").asText());
        assertEquals("1258835", p.path("sessionId").asText());
        assertEquals("90345002", p.path("userId").asText());
        assertEquals("2025-01-15T14:03:27.640Z", p.path("timestamp").asText());

        CanonicalEvent ended = normalize("spaceos/booking.end.json");
        OutboundRequest iotum = EventRenderers.forFormat("iotum").render(ended, List.of("tok"), NOW).orElseThrow();
        assertEquals("tok", iotum.header("x-signing-token"));
        JsonNode i = json(iotum);
        assertEquals("conference_end", i.path("event").asText());
        assertTrue(i.path("payload").isTextual(), "iotum's payload is a JSON string");
        assertEquals("bk-91c4e7", EventJson.mapper().readTree(i.path("payload").asText()).path("conference_id").asText());

        OutboundRequest recordings = EventRenderers.forFormat("recordings").render(ended, List.of("k"), NOW).orElseThrow();
        assertTrue(recordings.header("X-Webhook-Signature").matches("sha256=[0-9a-f]{64}"), recordings.header("X-Webhook-Signature"));
        JsonNode r = json(recordings);
        assertEquals(List.of("event", "timestamp", "data"), fieldNames(r));
        assertEquals("meeting.ended", r.path("event").asText());

        OutboundRequest spaceos = EventRenderers.forFormat("spaceos").render(joined, List.of("k"), NOW).orElse(null);
        assertNull(spaceos, "spaceos has no participant events");
        CanonicalEvent started = normalize("iotum/conference_start.json");
        spaceos = EventRenderers.forFormat("spaceos").render(started, List.of("k"), NOW).orElseThrow();
        assertTrue(spaceos.header("X-Webhook-Signature").matches("[0-9a-f]{64}"));
        assertEquals("1258835", json(spaceos).at("/data/booking_id").asText());
        assertEquals("2025-01-15T14:00:02.318Z", json(spaceos).at("/data/start_time").asText());

        OutboundRequest attendee = EventRenderers.forFormat("attendee").render(joined, List.of(SECRETS.get("attendee")), NOW).orElseThrow();
        JsonNode a = json(attendee);
        assertEquals(joined.id(), a.path("idempotency_key").asText());
        assertEquals("participant_events.join_leave", a.path("trigger").asText());
        assertEquals("join", a.at("/data/event_type").asText());
        assertEquals("90345002", a.at("/data/participant_uuid").asText());
        assertEquals(false, a.at("/data/participant_is_host").booleanValue());
        assertEquals(attendee.bodyText(), new String(io.hookbridge.vendor.attendee.AttendeeCanonicalJson.canonicalize(attendee.body()),
                StandardCharsets.UTF_8), "Attendee bodies are sent in their canonical (signed) form");
    }

    @Test
    void iotumPassThroughRestringifiesThePayload() throws IOException {
        CanonicalEvent event = normalize("iotum/dialout_status_change.json");
        OutboundRequest request = EventRenderers.forFormat("iotum").render(event, List.of(SECRETS.get("iotum")), NOW).orElseThrow();
        JsonNode body = json(request);
        assertTrue(body.path("payload").isTextual());
        assertEquals(event.vendorPayload().path("payload"), EventJson.mapper().readTree(body.path("payload").asText()));
        assertTrue(event.vendorPayload().path("payload").isObject(), "the event itself is not changed");
    }

    @Test
    void wrongSecretOrNoSecretIsRefusedByTheReceiver() throws IOException {
        CanonicalEvent event = normalize("attendee/bot.state_change-meeting_ended.json");
        for (String target : VENDORS) {
            EventRenderer renderer = EventRenderers.forFormat(target);
            String wrong = Base64.getEncoder().encodeToString(("wrong-" + target).getBytes(StandardCharsets.UTF_8));
            OutboundRequest signedWrong = renderer.render(event, List.of(wrong), NOW).orElseThrow();
            WebhookException refused = assertThrows(WebhookException.class, () -> receive(target, signedWrong), target);
            assertEquals(WebhookException.Kind.UNAUTHORIZED, refused.kind());

            OutboundRequest unsigned = renderer.render(event, List.of(), NOW).orElseThrow();
            assertTrue(unsigned.headers().isEmpty(), target + ": no secret, no credential header");
            assertThrows(WebhookException.class, () -> receive(target, unsigned), target);
        }
    }

    @Test
    void unknownFormatListsTheKnownOnes() {
        assertEquals(List.of("cloudevents", "pencil", "iotum", "recordings", "attendee", "spaceos"), List.copyOf(EventRenderers.formats()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventRenderers.forFormat("zoom"));
        assertTrue(e.getMessage().contains("cloudevents, pencil, iotum, recordings, attendee, spaceos"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventRenderers.forFormat(null));
        for (String format : EventRenderers.formats()) assertEquals(format, EventRenderers.forFormat(format).format());
    }

    @Test
    void credentialsStayOutOfToString() {
        OutboundRequest request = EventRenderers.forFormat("pencil").render(synthetic("session.ended"), List.of("top-secret"), NOW).orElseThrow();
        assertFalse(request.toString().contains("top-secret"), request.toString());
    }

    // ------------------------------------------------------------------------------------------ helpers

    static CanonicalEvent normalize(String file) throws IOException {
        Fixture fixture = fixtures.stream().filter(f -> f.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no fixture " + file));
        return fixtureSources.get(fixture.source()).normalize(fixture.body(), RECEIVED);
    }

    /** A canonical event as a JMS publisher might send it, from a source that is none of the vendors. */
    static CanonicalEvent synthetic(String type) {
        ObjectNode data = EventJson.mapper().createObjectNode();
        data.put("sessionId", "mtg-42");
        data.putObject("participant").put("id", "p-7").put("name", "Ada Lovelace").put("role", "organizer");
        data.putObject("recording").put("id", "rec-9");
        data.put("text", "hello, world");
        data.putObject("attendance").put("status", "PRESENT");
        ObjectNode vendor = data.putObject("vendor");
        vendor.put("source", "synthetic");
        vendor.put("event", type);
        vendor.putObject("payload").put("anything", true);
        return new CanonicalEvent("evt-" + type, "synthetic", type, "mtg-42", Instant.parse("2025-01-15T10:00:00.123456Z"), type, data);
    }

    /**
     * JSON equality with numbers compared by value, not by node class or scale: a number's value survives a
     * write and a read whatever the mapper's settings (with trailing zeros stripped, 0.0 is written "0" and read
     * back as an IntNode).
     */
    static void assertSameJson(JsonNode expected, JsonNode actual, String message) {
        boolean same = expected.equals((a, b) -> a.equals(b)
                || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1, actual);
        if (!same) assertEquals(expected.toString(), actual.toString(), message);
    }

    static JsonNode json(OutboundRequest request) throws IOException {
        return EventJson.mapper().readTree(request.body());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
