package io.hookbridge.broker;

import java.nio.charset.StandardCharsets;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.util.ByteSequence;

/**
 * The body of an event message, written and read with the JDK's UTF-8 codec where that gives exactly ActiveMQ's
 * own encoding. ActiveMQ encodes a TextMessage's text char by char (a length, then "modified UTF-8": NUL as two
 * bytes, characters beyond the BMP as two 3-byte surrogates); that loop was a tenth of a delivery's CPU. For text
 * without NUL and without surrogates the bytes are standard UTF-8, so the JDK's intrinsic codec produces and reads
 * the same bytes, and any JMS client still reads an ordinary TextMessage.
 */
public final class EventText {

    private EventText() { }

    /** A text message whose body is already encoded as ActiveMQ would encode it. */
    public static TextMessage message(Session session, String text) throws JMSException {
        TextMessage message = session.createTextMessage();
        write(message, text);
        return message;
    }

    /**
     * A text message of JSON already encoded as UTF-8 ({@link io.hookbridge.event.CanonicalEvent#toJsonBytes}): taken as
     * the body without decoding when its bytes are ActiveMQ's encoding too, which is always the case for what Jackson
     * writes (no raw NUL, no 4-byte sequence); anything else goes through {@link #message(Session, String)}.
     */
    public static TextMessage message(Session session, byte[] utf8) throws JMSException {
        TextMessage message = session.createTextMessage();
        if (message instanceof ActiveMQTextMessage amq && isPlainUtf8(utf8, 0, utf8.length)) {
            amq.setContent(new ByteSequence(withLength(utf8)));
        } else {
            write(message, new String(utf8, StandardCharsets.UTF_8));
        }
        return message;
    }

    private static byte[] withLength(byte[] utf8) {
        byte[] body = new byte[4 + utf8.length];
        int n = utf8.length;
        body[0] = (byte) (n >>> 24);
        body[1] = (byte) (n >>> 16);
        body[2] = (byte) (n >>> 8);
        body[3] = (byte) n;
        System.arraycopy(utf8, 0, body, 4, n);
        return body;
    }

    static void write(TextMessage message, String text) throws JMSException {
        byte[] utf8 = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
        // (a byte per char does not mean ASCII: the JDK encodes a lone surrogate as one '?')
        if (message instanceof ActiveMQTextMessage amq && utf8 != null && isStandardUtf8(text)) {
            amq.setContent(new ByteSequence(withLength(utf8)));
        } else {
            message.setText(text);
        }
    }

    /** The message's text, decoded by the JDK when its bytes are standard UTF-8 (else by ActiveMQ). */
    public static String read(TextMessage message) throws JMSException {
        if (message instanceof ActiveMQTextMessage amq && !amq.isCompressed()) {
            ByteSequence content = amq.getContent();
            if (content != null && content.length >= 4) {
                byte[] data = content.data;
                int start = content.offset;
                int n = ((data[start] & 0xff) << 24) | ((data[start + 1] & 0xff) << 16) | ((data[start + 2] & 0xff) << 8)
                        | (data[start + 3] & 0xff);
                if (n >= 0 && n == content.length - 4) {
                    String text = new String(data, start + 4, n, StandardCharsets.UTF_8);
                    // as many chars as bytes and none replaced: all ASCII, where both codecs agree
                    if (text.length() == n ? text.indexOf('\uFFFD') < 0 : isPlainUtf8(data, start + 4, n)) return text;
                }
            }
        }
        return message.getText();
    }

    /** Chars copied out in blocks: String.charAt per char (coder and bounds checks) was ~6% of ingest's CPU. */
    private static final ThreadLocal<char[]> BLOCK = ThreadLocal.withInitial(() -> new char[1024]);

    private static boolean isStandardUtf8(String text) {
        char[] block = BLOCK.get();
        for (int from = 0, n = text.length(); from < n; from += block.length) {
            int end = Math.min(n, from + block.length);
            text.getChars(from, end, block, 0);
            for (int i = 0, length = end - from; i < length; i++) {
                char c = block[i];
                if (c == 0 || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) return false;
            }
        }
        return true;
    }

    /** No NUL (raw, or modified UTF-8's 0xC0 0x80), no encoded surrogates (0xED 0xA0..), no 4-byte sequences. */
    private static boolean isPlainUtf8(byte[] data, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            int b = data[i] & 0xff;
            if (b == 0 || b == 0xC0 || b == 0xED || b >= 0xF0) return false;
        }
        return true;
    }
}
