package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.GatewayTest;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.TestDirectories;
import io.hookbridge.support.VendorSigner;

/**
 * Throws at least 200 malformed bodies, correctly authenticated, at every source: truncated JSON, wrong types,
 * missing fields, huge strings, deep nesting, invalid UTF-8, stringified payloads that are not JSON, garbage.
 * Every one must be answered 4xx with a JSON error, and none may reach the broker.
 */
@GatewayTest
class MalformedBodiesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_SOURCE = 200;

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
        events = JmsProbe.consumer(broker.openWireUrl(), "malformed-it");
    }

    @AfterEach
    void unsubscribe() throws Exception {
        events.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pencil", "iotum", "recordings", "attendee", "spaceos"})
    void malformedBodiesAreRefusedWithA4xxAndNeverEnqueued(String source) throws Exception {
        List<byte[]> bodies = malformed(source, new Random(source.hashCode()));
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(PER_SOURCE);
        int index = 0;
        for (byte[] body : bodies) {
            Answer answer = Http.post("http://127.0.0.1:" + port + "/webhooks/" + source, body, VendorSigner.headers(source, body));
            String shown = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
            assertThat(answer.status()).as("#" + index + " " + shown + " → " + answer.text()).isBetween(400, 499);
            assertThat(answer.json()).as("JSON error for #" + index + " " + shown).isNotNull();
            assertThat(answer.json().path("error").asText()).as("#" + index).isIn("invalid_payload", "payload_too_large", "unauthorized");
            assertThat(answer.text()).doesNotContain("Exception").doesNotContain("\tat ");
            index++;
        }
        assertThat(events.next(500)).as("nothing malformed was enqueued").isNull();
    }

    static List<byte[]> malformed(String source, Random random) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        List<byte[]> valid = Fixtures.of(source).stream().map(Fixtures.Fixture::body).toList();

        // not an object at all
        for (String text : List.of("", " ", "null", "true", "1", "-0.5e3", "\"webhook\"", "[]", "[{}]", "{", "}", "{}}", "{\"a\":1,}",
                "{'event':'x'}", "{\"event\":\"x\" \"data\":{}}", "NaN", "{\"a\":NaN}", "<xml/>", "event=x&data=y")) {
            bodies.add(bytes(text));
        }
        // an empty object and objects missing every required field
        bodies.add(bytes("{}"));
        bodies.add(bytes("{\"unexpected\":true}"));
        // truncated JSON
        for (int i = 0; i < 60; i++) {
            byte[] body = valid.get(random.nextInt(valid.size()));
            int cut = 1 + random.nextInt(body.length - 1);
            bodies.add(java.util.Arrays.copyOf(body, cut));
        }
        // required fields removed, or given the wrong type
        List<JsonNode> wrongValues = List.of(JsonNodeFactory.instance.numberNode(42), JsonNodeFactory.instance.booleanNode(true),
                JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.arrayNode().add(1),
                JsonNodeFactory.instance.textNode(""), JsonNodeFactory.instance.objectNode().put("x", 1));
        for (byte[] body : valid) {
            ObjectNode object = (ObjectNode) JSON.readTree(body);
            for (String field : requiredTopLevelFields(source, object)) {
                ObjectNode without = object.deepCopy();
                without.remove(field);
                bodies.add(bytes(without.toString()));
                for (JsonNode wrong : wrongValues) {
                    if (!wrongTypeFor(source, field, wrong)) continue;
                    ObjectNode mutated = object.deepCopy();
                    mutated.set(field, wrong);
                    bodies.add(bytes(mutated.toString()));
                }
            }
            if (bodies.size() > PER_SOURCE * 2) break;
        }
        // huge strings: a huge event name, a huge JSON string body, and bodies over the size limit
        ObjectNode first = (ObjectNode) JSON.readTree(valid.get(0));
        String eventField = source.equals("attendee") ? "trigger" : source.equals("pencil") ? "eventType" : "event";
        if (first.has(eventField)) {
            ObjectNode hugeName = first.deepCopy();
            hugeName.put(eventField, "x".repeat(300_000));
            bodies.add(bytes(hugeName.toString()));
        }
        bodies.add(bytes("\"" + "a".repeat(500_000) + "\""));
        bodies.add(bytes("{\"event\":\"" + "b".repeat(1_200_000) + "\"}"));
        bodies.add(bytes(" ".repeat(1_048_577)));
        // deep nesting
        bodies.add(bytes("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
        bodies.add(bytes("[".repeat(100_000)));
        ObjectNode deep = first.deepCopy();
        deep.set("nested", JSON.readTree("[".repeat(500) + "]".repeat(500)));
        bodies.add(bytes(deep.toString()));
        // invalid UTF-8 inside a string, and a lone continuation byte
        for (byte[] body : valid.subList(0, Math.min(5, valid.size()))) {
            byte[] broken = insertAfterFirstQuote(body, new byte[] {(byte) 0xC3, (byte) 0x28});
            bodies.add(broken);
            bodies.add(insertAfterFirstQuote(body, new byte[] {(byte) 0xFF}));
            bodies.add(insertAfterFirstQuote(body, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        }
        // stringified payload that is not JSON (iotum's payload; elsewhere a stringified data object; pencil has none)
        for (String notJson : List.of("{not json", "", "null", "[1,2]", "\"text\"", "42", "{\"a\":", "{\"a\":1}}")) {
            if (source.equals("pencil")) break;
            ObjectNode mutated = first.deepCopy();
            mutated.put(source.equals("iotum") ? "payload" : "data", notJson);
            bodies.add(bytes(mutated.toString()));
        }
        // random garbage
        while (bodies.size() < PER_SOURCE + 10) {
            byte[] garbage = new byte[1 + random.nextInt(400)];
            random.nextBytes(garbage);
            garbage[0] = (byte) "[{\"x".charAt(random.nextInt(4));
            bodies.add(garbage);
        }
        return bodies;
    }

    private static List<String> requiredTopLevelFields(String source, ObjectNode object) {
        return switch (source) {
            case "pencil" -> object.has("_type") ? List.of("_type", "eventType", "timestamp") : List.of("currentStatus", "eventId", "userId", "timestamp");
            case "iotum" -> List.of("event", "payload", "timestamp");
            case "recordings", "spaceos" -> List.of("event", "timestamp", "data");
            case "attendee" -> List.of("idempotency_key", "trigger", "data");
            default -> throw new IllegalArgumentException(source);
        };
    }

    /** Whether the value is of the wrong kind for the field (a timestamp may be a number, a pencil id too). */
    private static boolean wrongTypeFor(String source, String field, JsonNode value) {
        boolean scalar = value.isNumber() || (value.isTextual() && !value.asText().isEmpty());
        return switch (field) {
            case "timestamp", "eventId", "userId" -> !scalar;
            case "data", "currentStatus" -> !value.isObject();
            default -> !(value.isTextual() && !value.asText().isEmpty());
        };
    }

    private static byte[] insertAfterFirstQuote(byte[] body, byte[] inserted) {
        int quote = 0;
        while (quote < body.length && body[quote] != '"') quote++;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, quote + 1);
        out.write(inserted, 0, inserted.length);
        out.write(body, quote + 1, body.length - quote - 1);
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
