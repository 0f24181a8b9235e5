package io.hookbridge.vendor.attendee;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON form used by Attendee (attendee.dev) to sign webhooks.
 *
 * <p>Attendee signs the payload dict with
 * {@code json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}
 * and HMAC-SHA256, but sends the body via {@code requests.post(json=payload)}, i.e. with default
 * {@code json.dumps} settings (whitespace after separators, non-ASCII as {@code \\uXXXX} escapes).
 * The receiver therefore has to re-serialise the body into the signed form before verifying.
 *
 * <p>Differences from a literal Python {@code json.dumps(json.loads(body))} round trip, all deliberate:
 * <ul>
 *   <li>Number tokens are copied verbatim ({@code 1e5}, {@code -0}, {@code 1.50} are not normalised).
 *       Attendee's wire body is itself produced by Python, so its number tokens already are Python's
 *       spelling and pass-through is byte-exact; re-formatting doubles in Java could never be.</li>
 *   <li>{@code NaN}/{@code Infinity} are rejected (Attendee's sender uses {@code allow_nan=False}).</li>
 *   <li>Strings containing an unpaired surrogate (an escaped {@code "\\ud800"}) are rejected: Python's
 *       {@code .encode("utf-8")} would raise on them, so no valid signature can exist.</li>
 * </ul>
 *
 * <p>Thread-safe; all methods are static.
 */
public final class AttendeeCanonicalJson {

    /** Maximum nesting depth of arrays/objects; deeper documents are rejected with an IOException. */
    static final int MAX_NESTING_DEPTH = 1000;

    private static final String HMAC_ALGORITHM = "HmacSHA256";

    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            // Explicit, so a global StreamReadConstraints.overrideDefaultStreamReadConstraints() cannot raise it.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            // Field names come from untrusted input: do not put them into the JVM string pool.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    /** Orders strings by Unicode code point, like Python's {@code str} comparison. */
    static final Comparator<String> CODE_POINT_ORDER = AttendeeCanonicalJson::compareByCodePoint;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AttendeeCanonicalJson() {
    }

    /**
     * Re-serializes an Attendee webhook body the way Attendee signs it: Python
     * {@code json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")}.
     *
     * @param rawBody the HTTP request body (UTF-8 JSON, an optional UTF-8 BOM is ignored like Python's
     *                {@code json.loads(bytes)} does)
     * @return the canonical UTF-8 bytes
     * @throws com.fasterxml.jackson.core.JsonProcessingException on malformed JSON, trailing content,
     *         nesting deeper than {@value #MAX_NESTING_DEPTH}, or unpaired surrogates
     * @throws java.nio.charset.CharacterCodingException if the body is not valid UTF-8
     * @throws IOException for any other read failure
     */
    public static byte[] canonicalize(byte[] rawBody) throws IOException {
        if (rawBody == null) {
            throw new IllegalArgumentException("rawBody must not be null");
        }
        String text = decodeUtf8Strict(rawBody);
        Object root;
        try (JsonParser parser = JSON_FACTORY.createParser(text)) {
            root = readTree(parser);
        }
        StringBuilder out = new StringBuilder(rawBody.length + 16);
        write(root, out);
        // Unpaired surrogates were rejected while parsing, so this encoding is lossless.
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * base64-decodes the Attendee project secret (the dashboard shows it base64-encoded) and returns
     * {@code base64(HMAC-SHA256(key, canonicalize(rawBody)))}, i.e. the expected value of the
     * {@code X-Webhook-Signature} header.
     *
     * @param base64Secret the webhook secret as shown by Attendee (standard base64; surrounding
     *                     whitespace is ignored)
     * @param rawBody      the HTTP request body
     * @throws IllegalArgumentException if the secret is null, not valid base64 or decodes to an empty key
     * @throws IOException              if the body cannot be canonicalised (see {@link #canonicalize(byte[])})
     */
    public static String sign(String base64Secret, byte[] rawBody) throws IOException {
        byte[] key = decodeSecret(base64Secret);
        byte[] canonical = canonicalize(rawBody);
        try {
            Mac mac = Mac.getInstance(HMAC_ALGORITHM);
            mac.init(new SecretKeySpec(key, HMAC_ALGORITHM));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC_ALGORITHM + " is not available", e);
        }
    }

    // ------------------------------------------------------------------------------------------ secret

    private static byte[] decodeSecret(String base64Secret) {
        if (base64Secret == null) {
            throw new IllegalArgumentException("Attendee webhook secret must not be null");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Secret.strip());
        } catch (IllegalArgumentException e) {
            // Do not include the secret itself in the message.
            throw new IllegalArgumentException(
                    "Attendee webhook secret is not valid base64 (expected the value shown in the Attendee "
                            + "dashboard, standard base64 alphabet): " + e.getMessage(), e);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("Attendee webhook secret is empty after base64 decoding");
        }
        return key;
    }

    // ------------------------------------------------------------------------------------------ parsing

    /** A JSON number exactly as it appeared in the input. */
    private record NumberToken(String text) {
    }

    /** true / false / null. */
    private enum Literal {
        TRUE("true"), FALSE("false"), NULL("null");

        final String text;

        Literal(String text) {
            this.text = text;
        }
    }

    /** An open container while parsing. */
    private static final class ParseFrame {
        final Map<String, Object> object; // non-null for objects
        final List<Object> array;         // non-null for arrays
        String pendingName;

        ParseFrame(Map<String, Object> object, List<Object> array) {
            this.object = object;
            this.array = array;
        }
    }

    private static String decodeUtf8Strict(byte[] raw) throws IOException {
        int offset = 0;
        if (raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF) {
            offset = 3; // UTF-8 BOM, ignored by Python's json.loads(bytes)
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // throws MalformedInputException (an IOException) for invalid/overlong/surrogate-encoding UTF-8
        CharBuffer chars = decoder.decode(ByteBuffer.wrap(raw, offset, raw.length - offset));
        return chars.toString();
    }

    /** Iterative (no recursion): depth is bounded by Jackson's StreamReadConstraints. */
    private static Object readTree(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new JsonParseException(p, "Empty body: expected a JSON value");
        }
        Deque<ParseFrame> stack = new ArrayDeque<>();
        Object root;
        while (true) {
            if (t == null) {
                throw new JsonParseException(p, "Unexpected end of input");
            }
            Object value;
            switch (t) {
                case START_OBJECT:
                    stack.push(new ParseFrame(new LinkedHashMap<>(), null));
                    t = p.nextToken();
                    continue;
                case START_ARRAY:
                    stack.push(new ParseFrame(null, new ArrayList<>()));
                    t = p.nextToken();
                    continue;
                case FIELD_NAME: {
                    String name = p.currentName();
                    requireNoUnpairedSurrogate(p, name);
                    stack.peek().pendingName = name;
                    t = p.nextToken();
                    continue;
                }
                case END_OBJECT:
                case END_ARRAY: {
                    ParseFrame done = stack.pop();
                    value = done.object != null ? done.object : done.array;
                    break;
                }
                case VALUE_STRING: {
                    String s = p.getText();
                    requireNoUnpairedSurrogate(p, s);
                    value = s;
                    break;
                }
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    value = new NumberToken(p.getText());
                    break;
                case VALUE_TRUE:
                    value = Literal.TRUE;
                    break;
                case VALUE_FALSE:
                    value = Literal.FALSE;
                    break;
                case VALUE_NULL:
                    value = Literal.NULL;
                    break;
                default:
                    throw new JsonParseException(p, "Unexpected JSON token " + t);
            }
            if (stack.isEmpty()) {
                root = value;
                break;
            }
            ParseFrame parent = stack.peek();
            if (parent.object != null) {
                parent.object.put(parent.pendingName, value); // duplicate key: last one wins, like a Python dict
                parent.pendingName = null;
            } else {
                parent.array.add(value);
            }
            t = p.nextToken();
        }
        JsonToken trailing = p.nextToken(); // throws on garbage such as "{} x"
        if (trailing != null) {
            throw new JsonParseException(p, "Trailing content after the root JSON value: " + trailing);
        }
        return root;
    }

    private static void requireNoUnpairedSurrogate(JsonParser p, String s) throws JsonParseException {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new JsonParseException(p, "Unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " in string (not encodable as UTF-8)");
            }
            if (Character.isLowSurrogate(c)) {
                throw new JsonParseException(p, "Unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " in string (not encodable as UTF-8)");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ writing

    /** An open container while writing. */
    private static final class WriteFrame {
        final List<Map.Entry<String, Object>> entries; // non-null for objects (sorted)
        final List<Object> array;                      // non-null for arrays
        int index;

        WriteFrame(List<Map.Entry<String, Object>> entries, List<Object> array) {
            this.entries = entries;
            this.array = array;
        }

        int size() {
            return entries != null ? entries.size() : array.size();
        }
    }

    /** Iterative (no recursion), mirrors the parse side. */
    private static void write(Object root, StringBuilder out) {
        Deque<WriteFrame> stack = new ArrayDeque<>();
        open(root, out, stack);
        while (!stack.isEmpty()) {
            WriteFrame f = stack.peek();
            if (f.index == f.size()) {
                out.append(f.entries != null ? '}' : ']');
                stack.pop();
                continue;
            }
            if (f.index > 0) {
                out.append(',');
            }
            Object value;
            if (f.entries != null) {
                Map.Entry<String, Object> e = f.entries.get(f.index);
                writeString(e.getKey(), out);
                out.append(':');
                value = e.getValue();
            } else {
                value = f.array.get(f.index);
            }
            f.index++;
            open(value, out, stack);
        }
    }

    /** Writes a scalar, or the opening bracket of a container and pushes it. */
    @SuppressWarnings("unchecked")
    private static void open(Object value, StringBuilder out, Deque<WriteFrame> stack) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<String, Object>> entries = new ArrayList<>(((Map<String, Object>) map).entrySet());
            entries.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
            out.append('{');
            stack.push(new WriteFrame(entries, null));
        } else if (value instanceof List<?> list) {
            out.append('[');
            stack.push(new WriteFrame(null, (List<Object>) list));
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof NumberToken n) {
            out.append(n.text());
        } else if (value instanceof Literal l) {
            out.append(l.text);
        } else {
            throw new IllegalStateException("Unexpected node " + value);
        }
    }

    /** Python json ensure_ascii=False string encoding. */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c); // incl. '/', DEL, U+2028/2029, non-ASCII and surrogate pairs: raw
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python str ordering: lexicographic by code point (not by UTF-16 unit like String.compareTo). */
    static int compareByCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        int na = a.length();
        int nb = b.length();
        while (i < na && j < nb) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(na - i, nb - j);
    }
}
