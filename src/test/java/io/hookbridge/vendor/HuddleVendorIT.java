package io.hookbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.VendorSigner;

/**
 * The sixth vendor, Huddle, defined by vendors/huddle.yaml alone (no Java): its webhooks are received, verified
 * with a signature this test computes itself, and normalized; and a subscription with {@code format: huddle}
 * bridges another vendor's events into Huddle's shape, whose signature this test checks independently.
 */
class HuddleVendorIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String INBOUND_SECRET = "huddle-inbound-secret";
    static final String OUTBOUND_SECRET = "huddle-subscriber-secret";

    @TempDir
    static Path work;

    static TestReceiver receiver;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        Path routes = new Routes()
                .subscription("huddle-canonical", Map.of("url", receiver.url("/canonical"), "sources", "huddle"))
                .subscription("to-huddle", Map.of("url", receiver.url("/huddle"), "format", "huddle", "sources", "pencil",
                        "secret", OUTBOUND_SECRET))
                .writeTo(work.resolve("routes"));
        // the repository's vendors/ directory, as a gateway started from the checkout reads it
        gateway = Gateway.start(work.resolve("data"), routes.toString(), "hookbridge.vendors-dir=vendors",
                "hookbridge.sources.huddle.secret=" + INBOUND_SECRET);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
    }

    /** Huddle's signature as its documentation would describe it, written with javax.crypto only. */
    static String huddleSignature(String secret, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    static Http.Answer post(byte[] body, String signature) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (signature != null) headers.put("Huddle-Signature", signature);
        return Http.post(gateway.url("/webhooks/huddle"), body, headers);
    }

    @Test
    void huddleWebhooksAreVerifiedAndNormalized() throws Exception {
        byte[] body = Fixtures.read("huddle/member.joined.json");
        long now = Instant.now().getEpochSecond();
        Http.Answer answer = post(body, huddleSignature(INBOUND_SECRET, now, body));
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.json().get("type").asText()).isEqualTo("participant.joined");
        assertThat(answer.json().get("id").asText()).isEqualTo("evt_2M8QX4TZ0K");

        await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.received("/canonical").isEmpty());
        JsonNode event = receiver.received("/canonical").stream().map(TestReceiver.Received::json)
                .filter(e -> e.get("id").asText().equals("evt_2M8QX4TZ0K")).findFirst().orElseThrow();
        assertThat(event.get("subject").asText()).isEqualTo("hdl-5521");
        assertThat(event.get("time").asText()).isEqualTo("2025-03-04T09:15:27.412Z");
        assertThat(event.at("/data/participant/name").asText()).isEqualTo("Grace Hopper");
        assertThat(event.at("/data/meeting/title").asText()).isEqualTo("Quarterly planning");
        assertThat(event.at("/data/vendor/payload/metadata/workspace").asText()).as("metadata, a JSON string, is decoded").isEqualTo("acme");
    }

    @Test
    void aJsonPathFindsTheHostAndAnUnmappedEventKeepsItsVendorType() throws Exception {
        byte[] started = Fixtures.read("huddle/huddle.started.json");
        Http.Answer answer = post(started, huddleSignature(INBOUND_SECRET, Instant.now().getEpochSecond(), started));
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.json().get("type").asText()).isEqualTo("session.started");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/canonical").stream()
                .anyMatch(r -> r.json().get("id").asText().equals("evt_2M8QX1AAAA")));
        JsonNode event = receiver.received("/canonical").stream().map(TestReceiver.Received::json)
                .filter(e -> e.get("id").asText().equals("evt_2M8QX1AAAA")).findFirst().orElseThrow();
        assertThat(event.at("/data/participant/id").asText()).isEqualTo("mem_01");
        assertThat(event.get("time").asText()).isEqualTo("2025-03-04T09:15:00Z");

        byte[] exported = Fixtures.read("huddle/whiteboard.exported.json");
        Http.Answer unmapped = post(exported, huddleSignature(INBOUND_SECRET, Instant.now().getEpochSecond(), exported));
        assertThat(unmapped.status()).as(unmapped.text()).isEqualTo(202);
        assertThat(unmapped.json().get("type").asText()).isEqualTo("vendor.huddle.whiteboard.exported");
    }

    @Test
    void wrongStaleOrMissingSignaturesAreRefused() throws Exception {
        byte[] body = Fixtures.unique("huddle", Fixtures.read("huddle/member.joined.json"));
        long now = Instant.now().getEpochSecond();
        assertThat(post(body, huddleSignature("not-the-secret", now, body)).status()).isEqualTo(401);
        Http.Answer stale = post(body, huddleSignature(INBOUND_SECRET, now - 600, body));
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().get("detail").asText()).contains("replay window");
        Http.Answer missing = post(body, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("detail").asText()).contains("Huddle-Signature");
        String tampered = huddleSignature(INBOUND_SECRET, now, body);
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("Grace", "Alan").getBytes(StandardCharsets.UTF_8);
        assertThat(post(changed, tampered).status()).isEqualTo(401);
    }

    @Test
    void pencilEventsAreBridgedIntoHuddlesShapeAndSignature() throws Exception {
        byte[] joined = Fixtures.read("fixtures/pencil/joinSpace.json");
        Http.Answer answer = Http.post(gateway.url("/webhooks/pencil"), joined, VendorSigner.headers("pencil", joined));
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        String eventId = answer.json().get("id").asText();

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/huddle").stream()
                .anyMatch(r -> r.json().get("id").asText().equals(eventId)));
        TestReceiver.Received delivered = receiver.received("/huddle").stream()
                .filter(r -> r.json().get("id").asText().equals(eventId)).findFirst().orElseThrow();

        // the receiver's side, written independently: parse t= and v1=, check the window, recompute the HMAC
        String header = delivered.header("Huddle-Signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThanOrEqualTo(300);
        String expected = huddleSignature(OUTBOUND_SECRET, t, delivered.body());
        assertThat(MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8)))
                .as("Huddle-Signature verifies with the subscription's secret").isTrue();

        JsonNode body = delivered.json();
        assertThat(body.get("type").asText()).isEqualTo("member.joined");
        assertThat(body.get("created_at").asText()).isEqualTo("2025-01-15T10:00:03.412Z");
        assertThat(body.at("/data/meeting/id").asText()).isEqualTo("65a50b12f3c8a94e7d21b603");
        assertThat(body.at("/data/participant/id").asText()).isEqualTo("6512f4d8a1b3c4d5e6f7093c");
        assertThat(body.at("/data/recording").isMissingNode()).as("an optional object with nothing in it is left out").isTrue();
        assertThat(body.get("metadata").isTextual()).as("metadata is written as a JSON string").isTrue();
        JsonNode metadata = JSON.readTree(body.get("metadata").asText());
        assertThat(metadata.at("/origin/source").asText()).isEqualTo("pencil");
        assertThat(metadata.at("/origin/event").asText()).isEqualTo("joinSpace");

        // and HookBridge's own Huddle inbound accepts what it sent (with the subscriber's secret)
        VendorDefinition huddle = VendorCatalog.current().definitions().get("huddle");
        VendorCatalog.source(huddle, java.util.List.of(OUTBOUND_SECRET)).verify(delivered.body(), delivered::header);
    }
}
