package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Fixtures.Fixture;
import io.hookbridge.support.GatewayTest;
import io.hookbridge.support.TestDirectories;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.VendorSigner;

/** CONTRACT sections 2 and 3 through the front door: real HTTP in, canonical events out of a real JMS consumer queue. */
@GatewayTest
class IngestIT {

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestDirectories.fresh(registry, "src/test/resources/routes/none");
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedBroker broker;

    JmsProbe events;

    @BeforeEach
    void subscribe() throws Exception {
        events = JmsProbe.consumer(broker.openWireUrl(), "ingest-it");
        events.drain(100);
    }

    @AfterEach
    void unsubscribe() throws Exception {
        events.close();
    }

    static List<Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyVendorPayloadBecomesItsCanonicalEvent(Fixture fixture) throws Exception {
        byte[] body = fixture.body();
        Answer answer = post(fixture.source(), body, VendorSigner.headers(fixture.source(), body));

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.json().get("type").asText()).isEqualTo(fixture.canonicalType());
        assertThat(answer.json().get("duplicate").asBoolean()).isFalse();

        JsonNode event = events.next(5000);
        assertThat(event).as("canonical event on the consumer queue").isNotNull();
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo(answer.json().get("id").asText());
        assertThat(event.get("source").asText()).isEqualTo("/sources/" + fixture.source());
        assertThat(event.get("type").asText()).isEqualTo(fixture.canonicalType());
        assertThat(event.get("vendorevent").asText()).isEqualTo(fixture.vendorEvent());
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        if (fixture.subject().isEmpty()) {
            assertThat(event.has("subject")).isFalse();
        } else {
            assertThat(event.get("subject").asText()).isEqualTo(fixture.subject());
            assertThat(event.at("/data/sessionId").asText()).isEqualTo(fixture.subject());
        }
        if (!fixture.time().isEmpty()) {
            assertThat(event.get("time").asText()).isEqualTo(fixture.time());
        } else {
            assertThat(event.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        }
        assertThat(event.at("/data/vendor/source").asText()).isEqualTo(fixture.source());
        assertThat(event.at("/data/vendor/event").asText()).isEqualTo(fixture.vendorEvent());
        JsonNode original = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        if (fixture.source().equals("iotum")) {
            assertThat(event.at("/data/vendor/payload/payload").isObject()).as("stringified payload parsed").isTrue();
            assertThat(event.at("/data/vendor/payload/payload"))
                    .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(original.get("payload").asText()));
        } else {
            assertThat(event.at("/data/vendor/payload").toString()).isEqualTo(original.toString());
        }
        if (fixture.source().equals("attendee")) {
            assertThat(event.get("id").asText()).isEqualTo(original.get("idempotency_key").asText());
        } else {
            assertThat(event.get("id").asText()).isEqualTo(sha256Hex(fixture.source() + ":", body));
        }
    }

    @Test
    void iotumParticipantFieldsAreNormalized() throws Exception {
        byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/enter_conference.json"));
        assertThat(post("iotum", body, VendorSigner.headers("iotum", body)).status()).isEqualTo(202);
        JsonNode event = events.next(5000);
        JsonNode payload = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("payload").asText());
        assertThat(event.at("/data/participant/id").asText()).isEqualTo(payload.get("participant_id").asText());
        assertThat(event.at("/data/participant/role").asText()).isEqualTo(payload.get("participant_role").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pencil", "iotum", "recordings", "attendee", "spaceos"})
    void missingOrWrongCredentialsAreRefusedAndNothingIsEnqueued(String source) throws Exception {
        byte[] body = Fixtures.unique(source, Fixtures.of(source).get(0).body());

        Map<String, String> none = Map.of("Content-Type", "application/json");
        Answer missing = post(source, body, none);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(missing.json().get("detail").asText()).isNotBlank();

        String wrongSecret = source.equals("attendee") ? "d3Jvbmcta2V5LXdyb25nLWtleQ==" : "wrong-secret";
        Answer wrong = post(source, body, VendorSigner.headers(source, body, wrongSecret));
        assertThat(wrong.status()).as(wrong.text()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("unauthorized");

        // a correct signature over a different body must not verify this one
        String text = new String(body, StandardCharsets.UTF_8);
        java.util.regex.Matcher digit = java.util.regex.Pattern.compile("\\d").matcher(text);
        assertThat(digit.find()).isTrue();
        char changed = text.charAt(digit.start()) == '7' ? '8' : '7';
        byte[] tampered = (text.substring(0, digit.start()) + changed + text.substring(digit.start() + 1)).getBytes(StandardCharsets.UTF_8);
        if (!source.equals("pencil") && !source.equals("iotum")) {
            Answer replayed = post(source, tampered, VendorSigner.headers(source, body));
            assertThat(replayed.status()).as(replayed.text()).isEqualTo(401);
        }
        assertThat(events.next(300)).as("nothing enqueued").isNull();
    }

    @Test
    void theSameEventTwiceIsAcceptedOnceAndAnsweredAsADuplicate() throws Exception {
        for (String source : VendorSigner.SOURCES) {
            byte[] body = Fixtures.unique(source, Fixtures.of(source).get(1).body());
            Answer first = post(source, body, VendorSigner.headers(source, body));
            Answer second = post(source, body, VendorSigner.headers(source, body));
            assertThat(first.status()).isEqualTo(202);
            assertThat(second.status()).isEqualTo(202);
            assertThat(first.json().get("duplicate").asBoolean()).isFalse();
            assertThat(second.json().get("duplicate").asBoolean()).isTrue();
            assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
            assertThat(second.json().get("type")).isEqualTo(first.json().get("type"));
            assertThat(events.next(5000)).isNotNull();
            assertThat(events.next(300)).as("enqueued once: " + source).isNull();
        }
    }

    @Test
    void attendeeRetriesWithTheSameIdempotencyKeyAreDuplicatesEvenIfReserialized() throws Exception {
        byte[] body = Fixtures.unique("attendee", Fixtures.read("fixtures/attendee/chat_messages.update.json"));
        byte[] compact = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).toString().getBytes(StandardCharsets.UTF_8);
        assertThat(post("attendee", body, VendorSigner.headers("attendee", body)).json().get("duplicate").asBoolean()).isFalse();
        Answer retry = post("attendee", compact, VendorSigner.headers("attendee", compact));
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().get("duplicate").asBoolean()).isTrue();
        assertThat(events.drain(500)).hasSize(1);
    }

    @Test
    void unknownSourceIs404() {
        Answer answer = post("zoom", "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).isEqualTo("unknown_source");
        assertThat(answer.json().get("detail").asText()).contains("zoom");
    }

    @Test
    void otherMethodsAndPathsAnswerJsonToo() {
        Answer get = Http.get("http://127.0.0.1:" + port + "/webhooks/iotum", Map.of());
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().get("error").asText()).isEqualTo("method_not_allowed");
        for (String path : List.of("/webhooks/", "/webhooks/iotum/extra")) {
            Answer answer = Http.post("http://127.0.0.1:" + port + path, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.json().get("error").asText()).isEqualTo("unknown_source");
        }
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        byte[] body = ("{\"event\":\"conference_end\",\"payload\":\"{}\",\"timestamp\":\"" + "x".repeat(1_100_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Answer answer = post("iotum", body, VendorSigner.headers("iotum", body));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error").asText()).isEqualTo("payload_too_large");
        assertThat(events.next(300)).isNull();
    }

    @Test
    void theIotumSeedWithItsStrayBacktickIs400SayingWhere() throws Exception {
        byte[] body = Fixtures.read("fixtures/invalid/iotum-seed-backtick.json");
        Answer answer = post("iotum", body, VendorSigner.headers("iotum", body));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_payload");
        assertThat(answer.json().get("detail").asText()).contains("line").contains("column");
    }

    @Test
    void invalidPayloadsSayWhatAndWhere() throws Exception {
        Map<String, String> cases = new HashMap<>();
        cases.put("iotum|{\"event\":\"conference_end\",\"payload\":\"{not json\",\"timestamp\":\"2022-08-24T20:56:55Z\"}", "/payload");
        cases.put("iotum|{\"event\":\"conference_end\",\"timestamp\":\"2022-08-24T20:56:55Z\"}", "/payload is required");
        cases.put("iotum|{\"event\":42,\"payload\":\"{}\",\"timestamp\":\"2022-08-24T20:56:55Z\"}", "/event must be a string");
        cases.put("iotum|[1,2,3]", "JSON object");
        cases.put("spaceos|{\"event\":\"booking.start\",\"timestamp\":\"2025-01-15T09:45:00Z\",\"data\":\"bk-1\"}", "/data must be an object");
        cases.put("spaceos|{\"event\":\"booking.start\",\"timestamp\":\"yesterday\",\"data\":{}}", "/timestamp");
        cases.put("pencil|{\"spaceId\":\"s\",\"timestamp\":1}", "/_type or /currentStatus");
        cases.put("recordings|{\"event\":\"meeting.started\",\"timestamp\":\"2024-01-15T10:30:00Z\"}", "/data is required");
        cases.put("attendee|{\"idempotency_key\":\"k-1\",\"trigger\":\"bot.state_change\",\"data\":[]}", "/data must be an object");
        cases.put("attendee|{\"idempotency_key\":\"\",\"trigger\":\"bot.state_change\",\"data\":{}}", "/idempotency_key");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String source = c.getKey().substring(0, c.getKey().indexOf('|'));
            byte[] body = c.getKey().substring(source.length() + 1).getBytes(StandardCharsets.UTF_8);
            Answer answer = post(source, body, VendorSigner.headers(source, body));
            assertThat(answer.status()).as(c.getKey() + " → " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).isEqualTo("invalid_payload");
            assertThat(answer.json().get("detail").asText()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(events.next(300)).isNull();
    }

    private Answer post(String source, byte[] body, Map<String, String> headers) {
        return Http.post("http://127.0.0.1:" + port + "/webhooks/" + source, body, headers);
    }

    static String sha256Hex(String prefix, byte[] body) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update(prefix.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest.digest(body));
    }
}
