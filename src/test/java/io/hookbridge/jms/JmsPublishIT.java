package io.hookbridge.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.hookbridge.broker.EventPublisher;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.JmsProbe;

/**
 * CONTRACT section 5 with a JMS client of our own over OpenWire TCP: canonical and vendor-shaped messages on
 * hookbridge.publish come out on a consumer queue; invalid ones are parked on DLQ.hookbridge.publish with the reason.
 */
class JmsPublishIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String NO_ROUTES = "src/test/resources/routes/none";

    @TempDir
    static Path work;

    static Gateway gateway;
    static Connection connection;
    static Session session;
    static MessageProducer producer;

    JmsProbe events;
    JmsProbe deadLetters;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(work.resolve("data"), NO_ROUTES);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("hookbridge", "hookbridge", gateway.brokerUrl());
        factory.setWatchTopicAdvisories(false);
        connection = factory.createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue("hookbridge.publish"));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) connection.close();
        if (gateway != null) gateway.close();
    }

    @BeforeEach
    void subscribe() throws Exception {
        events = JmsProbe.consumer(gateway.brokerUrl(), "jms-publish-it");
        events.drain(100);
        deadLetters = JmsProbe.onQueue(gateway.brokerUrl(), "DLQ.hookbridge.publish");
        while (deadLetters.nextMessage(100) != null) {
            // start each test with an empty dead-letter queue
        }
    }

    @AfterEach
    void unsubscribe() throws Exception {
        events.close();
        deadLetters.close();
    }

    static ObjectNode cloudEvent(String id) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "/sources/billing");
        event.put("type", "invoice.paid");
        event.put("subject", "inv-42");
        event.put("time", "2025-03-01T12:00:00Z");
        event.put("datacontenttype", "application/json");
        event.putObject("data").put("sessionId", "inv-42").put("amount", 1250);
        return event;
    }

    @Test
    void aCanonicalEventIsValidatedAndFannedOutLikeAWebhook() throws Exception {
        String id = "jms-" + UUID.randomUUID();
        TextMessage message = session.createTextMessage(cloudEvent(id).toString());
        producer.send(message);

        Message out = events.nextMessage(10_000);
        assertThat(out).as("canonical event on Consumer.jms-publish-it.VirtualTopic.hookbridge.events").isNotNull();
        JsonNode event = JSON.readTree(((TextMessage) out).getText());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo(id);
        assertThat(event.get("source").asText()).isEqualTo("/sources/billing");
        assertThat(event.get("type").asText()).isEqualTo("invoice.paid");
        assertThat(event.get("subject").asText()).isEqualTo("inv-42");
        assertThat(event.get("time").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(event.at("/data/amount").asInt()).isEqualTo(1250);
        assertThat(out.getStringProperty("hookbridge_id")).isEqualTo(id);
        assertThat(out.getStringProperty("hookbridge_source")).isEqualTo("billing");
        assertThat(out.getStringProperty("hookbridge_type")).isEqualTo("invoice.paid");
        assertThat(out.getStringProperty("JMSXGroupID")).isEqualTo("billing:inv-42");
        assertThat(deadLetters.nextMessage(200)).isNull();
    }

    @Test
    void theSameCanonicalEventTwiceIsStoredOnce() throws Exception {
        String id = "jms-" + UUID.randomUUID();
        producer.send(session.createTextMessage(cloudEvent(id).toString()));
        producer.send(session.createTextMessage(cloudEvent(id).toString()));
        List<JsonNode> all = events.drain(1500);
        assertThat(all).extracting(e -> e.get("id").asText()).containsExactly(id);
    }

    @Test
    void aVendorBodyWithHookbridgeSourceIsNormalizedWithoutASignature() throws Exception {
        byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/enter_conference.json"));
        TextMessage message = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
        message.setStringProperty("hookbridge_source", "iotum");
        producer.send(message);

        JsonNode event = events.next(10_000);
        assertThat(event).isNotNull();
        assertThat(event.get("type").asText()).isEqualTo("participant.joined");
        assertThat(event.get("source").asText()).isEqualTo("/sources/iotum");
        assertThat(event.get("vendorevent").asText()).isEqualTo("enter_conference");
        assertThat(event.get("id").asText()).as("the same id a webhook of these bytes gets").isEqualTo(sha256Hex("iotum:", body));
        assertThat(event.at("/data/vendor/payload/payload").isObject()).isTrue();
    }

    @Test
    void aVendorBodyAsABytesMessageIsAcceptedToo() throws Exception {
        byte[] body = Fixtures.unique("spaceos", Fixtures.read("fixtures/spaceos/booking.start.json"));
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(body);
        message.setStringProperty("hookbridge_source", "spaceos");
        producer.send(message);
        JsonNode event = events.next(10_000);
        assertThat(event).isNotNull();
        assertThat(event.get("type").asText()).isEqualTo("session.started");
        assertThat(event.get("id").asText()).isEqualTo(sha256Hex("spaceos:", body));
    }

    static Stream<Arguments> invalidMessages() {
        ObjectNode missingId = cloudEvent("x");
        missingId.remove("id");
        ObjectNode emptySource = cloudEvent("jms-" + UUID.randomUUID());
        emptySource.put("source", "");
        ObjectNode oldSpec = cloudEvent("jms-" + UUID.randomUUID());
        oldSpec.put("specversion", "0.3");
        ObjectNode noType = cloudEvent("jms-" + UUID.randomUUID());
        noType.remove("type");
        ObjectNode badTime = cloudEvent("jms-" + UUID.randomUUID());
        badTime.put("time", "yesterday");
        String iotum = new String(Fixtures.read("fixtures/iotum/conference_start.json"), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("not JSON", "this is not json {", null, "not JSON"),
                Arguments.of("a JSON array", "[1, 2, 3]", null, "JSON object"),
                Arguments.of("missing id", missingId.toString(), null, "id is required"),
                Arguments.of("empty source", emptySource.toString(), null, "source is required"),
                Arguments.of("wrong specversion", oldSpec.toString(), null, "specversion"),
                Arguments.of("missing type", noType.toString(), null, "type is required"),
                Arguments.of("a bad time", badTime.toString(), null, "time"),
                Arguments.of("an unknown source", iotum, "no-such-vendor", "no-such-vendor"),
                Arguments.of("a vendor body that is not JSON", "{\"event\": \"conference_start\", ", "iotum", "JSON"),
                Arguments.of("a vendor body missing its fields", "{\"hello\": \"world\"}", "iotum", "iotum"),
                Arguments.of("an empty vendor body", "", "spaceos", "spaceos"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMessages")
    void anInvalidMessageIsParkedOnTheDeadLetterQueueWithTheReason(String what, String body, String source, String reason) throws Exception {
        TextMessage message = session.createTextMessage(body);
        if (source != null) message.setStringProperty("hookbridge_source", source);
        message.setStringProperty("trace_id", "trace-" + what);
        message.setIntProperty("attempt_no", 7);
        message.setJMSCorrelationID("corr-" + what);
        producer.send(message);

        Message parked = deadLetters.nextMessage(10_000);
        assertThat(parked).as(what + " dead-lettered").isNotNull();
        assertThat(parked.getStringProperty("hookbridge_error")).as("the reason").isNotBlank().containsIgnoringCase(reason);
        assertThat(parked).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) parked).getText()).as("the original body").isEqualTo(body);
        assertThat(parked.getStringProperty("trace_id")).as("the original properties").isEqualTo("trace-" + what);
        assertThat(parked.getIntProperty("attempt_no")).isEqualTo(7);
        assertThat(parked.getJMSCorrelationID()).isEqualTo("corr-" + what);
        assertThat(parked.getStringProperty("hookbridge_source")).isEqualTo(source);
        assertThat(parked.getJMSRedelivered()).as("parked at once, not after retries").isFalse();
        assertThat(events.next(300)).as("nothing fanned out").isNull();
        assertThat(deadLetters.nextMessage(300)).as("parked once").isNull();
    }

    @Test
    void aMessageThatIsNotTextIsParkedWithTheReason() throws Exception {
        MapMessage message = session.createMapMessage();
        message.setString("id", "x");
        message.setStringProperty("trace_id", "map");
        producer.send(message);
        Message parked = deadLetters.nextMessage(10_000);
        assertThat(parked).isInstanceOf(MapMessage.class);
        assertThat(parked.getStringProperty("hookbridge_error")).contains("MapMessage");
        assertThat(((MapMessage) parked).getString("id")).isEqualTo("x");
        assertThat(parked.getStringProperty("trace_id")).isEqualTo("map");
    }

    @Test
    void whenTheEventCannotBeStoredTheMessageIsRolledBackAndRedeliveredNotParked() throws Exception {
        EventPublisher publisher = gateway.bean(EventPublisher.class);
        String id = "jms-" + UUID.randomUUID();
        publisher.stop();
        try {
            producer.send(session.createTextMessage(cloudEvent(id).toString()));
            // while no event can be stored the message keeps coming back (about once a second), never parked
            assertThat(events.next(3000)).isNull();
            assertThat(deadLetters.nextMessage(100)).isNull();
        } finally {
            publisher.start();
        }
        JsonNode event = events.next(10_000);
        assertThat(event).as("stored once the broker takes events again").isNotNull();
        assertThat(event.get("id").asText()).isEqualTo(id);
        assertThat(events.next(1500)).as("stored once").isNull();
        assertThat(deadLetters.nextMessage(100)).isNull();
    }

    @Test
    void aMessageNotYetIngestedWhenTheGatewayStopsIsIngestedAfterTheRestart() throws Exception {
        Path data = work.resolve("restart-data");
        String id = "jms-" + UUID.randomUUID();
        try (Gateway first = Gateway.start(data, NO_ROUTES)) {
            JmsProbe.consumer(first.brokerUrl(), "restart-it").close(); // the consumer queue exists from now on
            first.bean(CamelContext.class).getRouteController().stopRoute(PublishQueueRoute.ROUTE_ID);
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("hookbridge", "hookbridge", first.brokerUrl());
            try (Connection c = factory.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(s.createQueue(PublishQueueRoute.QUEUE)).send(s.createTextMessage(cloudEvent(id).toString()));
            }
        }
        try (Gateway second = Gateway.start(data, NO_ROUTES);
             JmsProbe restarted = JmsProbe.consumer(second.brokerUrl(), "restart-it")) {
            JsonNode event = restarted.next(10_000);
            assertThat(event).as("kept on the broker across the restart, then ingested").isNotNull();
            assertThat(event.get("id").asText()).isEqualTo(id);
            assertThat(restarted.next(1000)).isNull();
        }
    }

    @Test
    void theBrokerRefusesAnonymousAndWrongPasswordConnections() {
        String url = gateway.brokerUrl();
        assertThatThrownBy(() -> open(new ActiveMQConnectionFactory(url))).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> open(new ActiveMQConnectionFactory("hookbridge", "wrong-password", url)))
                .isInstanceOf(JMSException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> open(new ActiveMQConnectionFactory("intruder", "hookbridge", url))).isInstanceOf(JMSException.class);
    }

    private static void open(ActiveMQConnectionFactory factory) throws JMSException {
        factory.setWatchTopicAdvisories(false);
        try (Connection c = factory.createConnection()) {
            c.start();
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
        }
    }

    static String sha256Hex(String prefix, byte[] body) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(prefix.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(body));
    }
}
