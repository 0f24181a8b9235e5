package io.hookbridge.vendor.inbound;

import io.hookbridge.vendor.TypeTable;
import io.hookbridge.event.Timestamps;
import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.VendorCatalog;
import io.hookbridge.vendor.VendorDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.VendorSigner;

/** Verification (fail closed, rotation, constant-time schemes) and timestamp conversion, without HTTP. */
class WebhookSourceTest {

    static WebhookSource source(String id, List<String> secrets) throws Exception {
        VendorDefinition definition = VendorCatalog.builtInDefinitions().stream().filter(d -> d.id.equals(id)).findFirst().orElseThrow();
        return VendorCatalog.source(definition, secrets);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pencil", "iotum", "recordings", "attendee", "spaceos"})
    void noSecretConfiguredRefusesEvenAPerfectlySignedRequest(String id) throws Exception {
        byte[] body = Fixtures.of(id).get(0).body();
        Map<String, String> headers = VendorSigner.headers(id, body);
        assertThatThrownBy(() -> source(id, List.of()).verify(body, name -> header(headers, name)))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.kind()).isEqualTo(WebhookException.Kind.UNAUTHORIZED))
                .hasMessageContaining("no secret is configured");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pencil", "iotum", "recordings", "attendee", "spaceos"})
    void duringARotationEitherSecretVerifiesAndNoOtherDoes(String id) throws Exception {
        String old = VendorSigner.SECRETS.get(id);
        String next = id.equals("attendee") ? "bmV4dC1rZXktYWZ0ZXItcm90YXRpb24=" : "next-" + old;
        String other = id.equals("attendee") ? "b3RoZXIta2V5LW5vdC1jb25maWd1cmVk" : "other-secret";
        WebhookSource source = source(id, List.of(old, next));
        byte[] body = Fixtures.of(id).get(0).body();
        for (String secret : List.of(old, next)) {
            Map<String, String> headers = VendorSigner.headers(id, body, secret);
            source.verify(body, name -> header(headers, name));
        }
        Map<String, String> wrong = VendorSigner.headers(id, body, other);
        assertThatThrownBy(() -> source.verify(body, name -> header(wrong, name))).isInstanceOf(WebhookException.class);
    }

    @Test
    void recordingsNeedsItsPrefixAndAcceptsUppercaseHex() throws Exception {
        WebhookSource source = source("recordings", List.of("s3cret"));
        byte[] body = "{\"event\":\"meeting.started\",\"timestamp\":\"2024-01-15T10:30:00Z\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        String hex = VendorSigner.hex(VendorSigner.hmac("s3cret".getBytes(StandardCharsets.UTF_8), body));
        source.verify(body, n -> n.equals("X-Webhook-Signature") ? "sha256=" + hex.toUpperCase() : null);
        assertThatThrownBy(() -> source.verify(body, n -> n.equals("X-Webhook-Signature") ? hex : null))
                .hasMessageContaining("must start with 'sha256='");
    }

    @ParameterizedTest
    @CsvSource({
            "2022-08-24T20:56:55.000Z, 2022-08-24T20:56:55Z",
            "2025-01-15T10:00:05.123456+00:00, 2025-01-15T10:00:05.123456Z",
            "2025-01-15T11:00:00+01:00, 2025-01-15T10:00:00Z",
            "2025-01-15T10:00:00, 2025-01-15T10:00:00Z",
            "1736935200, 2025-01-15T10:00:00Z",
            "1736935200000, 2025-01-15T10:00:00Z",
            "1736935205123, 2025-01-15T10:00:05.123Z",
            "1736935205.5, 2025-01-15T10:00:05.500Z",
            "2025-01-15T10:00:05.1Z, 2025-01-15T10:00:05.100Z",
            "2025-01-15T10:00:05.123456789Z, 2025-01-15T10:00:05.123456789Z",
            "2025-01-15T05:30:00-04:30, 2025-01-15T10:00:00Z",
            "2025-01-15 10:00:00+00:00, 2025-01-15T10:00:00Z",
            "2024-02-29T23:59:59z, 2024-02-29T23:59:59Z",
    })
    void vendorTimestampsBecomeRfc3339Utc(String given, String expected) {
        assertThat(Timestamps.parse(JsonNodeFactory.instance.textNode(given))).isEqualTo(Instant.parse(expected));
    }

    @Test
    void numericEpochsAreSecondsOrMilliseconds() {
        assertThat(Timestamps.parse(JsonNodeFactory.instance.numberNode(1736935200L)).toString()).isEqualTo("2025-01-15T10:00:00Z");
        assertThat(Timestamps.parse(JsonNodeFactory.instance.numberNode(1736935200000L)).toString()).isEqualTo("2025-01-15T10:00:00Z");
        assertThat(Timestamps.parse(JsonNodeFactory.instance.textNode("yesterday"))).isNull();
        assertThat(Timestamps.parse(JsonNodeFactory.instance.textNode("2025-02-30T10:00:00Z"))).as("no such day").isNull();
        assertThat(Timestamps.parse(JsonNodeFactory.instance.textNode("2025-01-15T25:00:00Z"))).isNull();
        assertThat(Timestamps.parse(JsonNodeFactory.instance.booleanNode(true))).isNull();
    }

    @Test
    void everyVendorEventInTheMappingTableHasItsCanonicalType() throws Exception {
        VendorDefinition attendee = VendorCatalog.builtInDefinitions().stream().filter(d -> d.id.equals("attendee")).findFirst().orElseThrow();
        assertThat(TypeTable.canonicalType(attendee, "bot.state_change", "joined_meeting")).isEqualTo("session.started");
        assertThat(TypeTable.canonicalType(attendee, "bot.state_change", "bot_joined_call")).isEqualTo("vendor.attendee.bot.state_change");
        assertThat(TypeTable.canonicalType(attendee, "calendar.events_update", null)).isEqualTo("vendor.attendee.calendar.events_update");
        assertThat(TypeTable.canonicalType(attendee, "participant_events.join_leave", "leave")).isEqualTo("participant.left");
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
