package io.hookbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.util.ByteSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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
}
