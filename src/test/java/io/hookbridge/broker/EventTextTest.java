package io.hookbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;

import jakarta.jms.Session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.util.ByteSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;

/** The JDK-codec shortcut gives exactly ActiveMQ's bytes, and reads back what ActiveMQ reads, for any text. */
class EventTextTest {

    static byte[] bytes(ByteSequence content) {
        return Arrays.copyOfRange(content.data, content.offset, content.offset + content.length);
    }

    /** Texts longer than the block the scan for NUL and surrogates copies chars in, with those at its edges. */
    static Stream<String> longTexts() {
        String café = "café ".repeat(300);
        return Stream.of(café, café.substring(0, 1023) + "\u0000" + café, café.substring(0, 1024) + "\u0000",
                café.substring(0, 1023) + "\uD83D\uDE80" + café, café + café + "\uDE80", "\uD800" + café);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{\"type\":\"participant.joined\"}", "Zoë Ångström — café", "회의 시작 \uD7A3",
            "emoji \uD83D\uDE80 outside the BMP", "nul \u0000 inside", "\u07FF\u0800\uFFFF\u0080\u007F", "lone \uDC00 surrogate"})
    @MethodSource("longTexts")
    void writesActiveMqsBytesAndReadsThemBack(String text) throws Exception {
        ActiveMQTextMessage reference = new ActiveMQTextMessage();
        reference.setText(text);
        reference.storeContent();
        byte[] expected = bytes(reference.getContent());

        ActiveMQTextMessage written = new ActiveMQTextMessage();
        EventText.write(written, text);
        written.storeContent();
        assertThat(bytes(written.getContent())).as("bytes as ActiveMQ writes them").isEqualTo(expected);

        ActiveMQTextMessage received = new ActiveMQTextMessage();
        received.setContent(new ByteSequence(expected));
        assertThat(EventText.read(received)).isEqualTo(text);
        ActiveMQTextMessage receivedByActiveMq = new ActiveMQTextMessage();
        receivedByActiveMq.setContent(new ByteSequence(bytes(written.getContent())));
        assertThat(receivedByActiveMq.getText()).as("what any JMS client reads").isEqualTo(text);
    }

    /**
     * An event written straight to UTF-8 is stored as ActiveMQ would store its text, and reads back as the CloudEvent,
     * whatever characters its payload holds; for ASCII, byte for byte what Jackson writes for its tree.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain ascii", "Zoë Ångström — café", "회의 시작 \uD7A3", "emoji \uD83D\uDE80 outside the BMP",
            "nul \u0000 inside", "lone \uDC00 surrogate", "\u07FF\u0800\uFFFF\u0080\u007F"})
    void anEventWrittenAsUtf8BytesIsStoredAsActiveMqStoresItsText(String text) throws Exception {
        ObjectNode data = EventJson.mapper().createObjectNode();
        data.put("sessionId", "s-1");
        data.putObject("vendor").put("source", "spaceos").put("event", "x").putObject("payload").put("title", text).put("n", new java.math.BigDecimal("1.50"));
        CanonicalEvent event = new CanonicalEvent("id-" + text.length(), "spaceos", "session.started", "s-1",
                Instant.parse("2026-12-01T10:00:00.123Z"), "booking.started", data);
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("createTextMessage") ? new ActiveMQTextMessage() : null);

        ActiveMQTextMessage written = (ActiveMQTextMessage) EventText.message(session, event.toJsonBytes());
        written.storeContent();
        ActiveMQTextMessage receivedByActiveMq = new ActiveMQTextMessage();
        receivedByActiveMq.setContent(new ByteSequence(bytes(written.getContent())));
        String stored = receivedByActiveMq.getText();
        ObjectNode expected = EventJson.mapper().createObjectNode().put("specversion", "1.0").put("id", event.id())
                .put("source", "/sources/spaceos").put("type", "session.started").put("subject", "s-1")
                .put("time", "2026-12-01T10:00:00.123Z").put("datacontenttype", "application/json").put("vendorevent", "booking.started");
        expected.set("data", data);
        assertThat(EventJson.mapper().readTree(stored)).as("the structured-mode CloudEvent").isEqualTo(expected);
        assertThat(EventJson.mapper().readTree(stored).path("data").path("vendor").path("payload").path("title").asText()).isEqualTo(text);
        assertThat(EventText.read(receivedByActiveMq)).isEqualTo(stored);
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) assertThat(stored).isEqualTo(EventJson.write(expected));
    }
}
