package io.hookbridge.vendor.attendee;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected values were produced independently with CPython 3.11 by
 * {@code src/test/resources/attendee/make_vectors.py} (json.dumps(..., sort_keys=True, ensure_ascii=False,
 * separators=(",", ":")) and hmac/hashlib/base64) and pasted here as literals. The test does not run Python.
 * All literals are ASCII-only (non-ASCII as unicode escapes, control chars as octal escapes).
 */
class AttendeeCanonicalJsonTest {

    // base64 of "secret-key-for-tests-1234"
    private static final String SECRET = "c2VjcmV0LWtleS1mb3ItdGVzdHMtMTIzNA==";
    // base64 of bytes(range(0, 256, 8)) -- 32 key bytes that are not valid UTF-8
    private static final String SECRET2 = "AAgQGCAoMDhASFBYYGhweICIkJigqLC4wMjQ2ODo8Pg=";

    // ---------------------------------------------------------------- vectors from make_vectors.py

    // ---- STATE_CHANGE: realistic bot.state_change body, whitespace, unsorted keys, raw UTF-8 non-ASCII
    private static final String RAW_STATE_CHANGE = "{\"idempotency_key\": \"9c1f0f5e-6f3c-4bd1-9a77-1d1b3f9f2a10\", \"bot_id\": \"bo"
        + "t_3hfj28fjs\", \"bot_metadata\": {\"customer\": \"acme\", \"\u00FCn\u00EFcode\":"
        + " \"\u65E5\u672C\u8A9E\"}, \"trigger\": \"bot.state_change\", \"data\": {\"new_st"
        + "ate\": \"joined_recording\", \"old_state\": \"joining\", \"created_at\": \"2025-"
        + "01-15T10:00:05.123456Z\", \"event_type\": \"joined_meeting\", \"event_sub_type\""
        + ": null}}";
    private static final String CANON_STATE_CHANGE = "{\"bot_id\":\"bot_3hfj28fjs\",\"bot_metadata\":{\"customer\":\"acme\",\"\u00FCn"
        + "\u00EFcode\":\"\u65E5\u672C\u8A9E\"},\"data\":{\"created_at\":\"2025-01-15T10:00"
        + ":05.123456Z\",\"event_sub_type\":null,\"event_type\":\"joined_meeting\",\"new_st"
        + "ate\":\"joined_recording\",\"old_state\":\"joining\"},\"idempotency_key\":\"9c1f"
        + "0f5e-6f3c-4bd1-9a77-1d1b3f9f2a10\",\"trigger\":\"bot.state_change\"}";
    private static final String SIG_STATE_CHANGE = "DHQl/NRo+PzRbU6tw0JeR2pT//vbjb8XJXixT0yUpRQ=";
    private static final String SIG2_STATE_CHANGE = "/1QLr8GZqYNzmCweEuE0qR5gUzTAKupq6nJkDipx0Ek=";

    // ---- UNICODE: body as requests.post(json=...) sends it (ensure_ascii=True -> \\uXXXX, emoji as surrogate pairs)
    private static final String RAW_UNICODE = "{\"\\ud83d\\ude00\": \"grinning \\ud83d\\ude00 face\", \"\\ufb01\": \"fi-ligatur"
        + "e\", \"\\ue000\": \"private use\", \"\\ufffd\": \"replacement\", \"z\": \"last a"
        + "scii\", \"\\u00e9t\\u00e9\": \"caf\\u00e9 cr\\u00e8me br\\u00fbl\\u00e9e\", \"A"
        + "\": \"upper before lower\", \"a\": \"\\u4e2d\\u6587 \\u0627\\u0644\\u0639\\u0631"
        + "\\u0628\\u064a\\u0629 \\u05e2\\u05d1\\u05e8\\u05d9\\u05ea\", \"\": \"empty key\""
        + ", \"emoji_value\": \"\\ud83d\\ude80\\ud83c\\udde9\\ud83c\\uddea\\u2764\\ufe0f\","
        + " \"\\ud83d\\ude00x\": \"emoji prefix\"}";
    private static final String CANON_UNICODE = "{\"\":\"empty key\",\"A\":\"upper before lower\",\"a\":\"\u4E2D\u6587 \u0627"
        + "\u0644\u0639\u0631\u0628\u064A\u0629 \u05E2\u05D1\u05E8\u05D9\u05EA\",\"emoji_va"
        + "lue\":\"\uD83D\uDE80\uD83C\uDDE9\uD83C\uDDEA\u2764\uFE0F\",\"z\":\"last ascii\","
        + "\"\u00E9t\u00E9\":\"caf\u00E9 cr\u00E8me br\u00FBl\u00E9e\",\"\uE000\":\"private"
        + " use\",\"\uFB01\":\"fi-ligature\",\"\uFFFD\":\"replacement\",\"\uD83D\uDE00\":\""
        + "grinning \uD83D\uDE00 face\",\"\uD83D\uDE00x\":\"emoji prefix\"}";
    private static final String SIG_UNICODE = "MIDG5l4rUBQ1LDBqI4yORE362mjhOyDT9eG8LMRIP80=";

    // ---- NUMBERS: raw body uses Python's own number spelling (100000.0, 1e-07, 1e+16, -0.0, ...)
    private static final String RAW_NUMBERS = "{\"one_point_zero\": 1.0, \"half\": 0.5, \"one_e5\": 100000.0, \"neg_zero\": -0."
        + "0, \"big_int\": 12345678901234567890123, \"neg_int\": -42, \"zero\": 0, \"tiny\""
        + ": 1e-07, \"huge\": 1e+16, \"pi\": 3.141592653589793, \"third\": 0.33333333333333"
        + "33, \"max_double\": 1.7976931348623157e+308, \"neg_exp\": -2.5e-10, \"bools\": ["
        + "true, false, null]}";
    private static final String CANON_NUMBERS = "{\"big_int\":12345678901234567890123,\"bools\":[true,false,null],\"half\":0.5,\""
        + "huge\":1e+16,\"max_double\":1.7976931348623157e+308,\"neg_exp\":-2.5e-10,\"neg_i"
        + "nt\":-42,\"neg_zero\":-0.0,\"one_e5\":100000.0,\"one_point_zero\":1.0,\"pi\":3.1"
        + "41592653589793,\"third\":0.3333333333333333,\"tiny\":1e-07,\"zero\":0}";
    private static final String SIG_NUMBERS = "3TYjjqXcQar/i5HuRvRZTeNM8aq0Do4tNo6WywQtlgM=";

    // ---- NESTED: pretty-printed (indent=2) raw body
    private static final String RAW_NESTED = "{\n  \"list\": [\n    3,\n    1,\n    2,\n    {\n      \"b\": 1,\n      \"a\": ["
        + "\n        {\n          \"d\": null,\n          \"c\": true\n        }\n      ]\n"
        + "    }\n  ],\n  \"obj\": {\n    \"z\": {\n      \"y\": {\n        \"x\": []\n    "
        + "  }\n    },\n    \"empty\": {},\n    \"b\": [\n      {\n        \"k2\": 2,\n    "
        + "    \"k1\": 1\n      },\n      {\n        \"k2\": 4,\n        \"k1\": 3\n      }"
        + "\n    ]\n  },\n  \"arr_of_arr\": [\n    [],\n    [\n      []\n    ],\n    [\n   "
        + "   1,\n      [\n        2,\n        [\n          3\n        ]\n      ]\n    ]\n "
        + " ],\n  \"aa\": {\n    \"ab\": 1,\n    \"aa\": 2,\n    \"a\": 3\n  }\n}";
    private static final String CANON_NESTED = "{\"aa\":{\"a\":3,\"aa\":2,\"ab\":1},\"arr_of_arr\":[[],[[]],[1,[2,[3]]]],\"list"
        + "\":[3,1,2,{\"a\":[{\"c\":true,\"d\":null}],\"b\":1}],\"obj\":{\"b\":[{\"k1\":1,"
        + "\"k2\":2},{\"k1\":3,\"k2\":4}],\"empty\":{},\"z\":{\"y\":{\"x\":[]}}}}";
    private static final String SIG_NESTED = "FddD2/cOzegqaVisBYfeTyjmfOJ8vvkpOQYSf28Vqqk=";

    // ---- STRINGS: control characters, quotes, backslashes, slashes, DEL, U+2028/U+2029
    private static final String RAW_STRINGS = "{\"ctrl\": \"line1\\nline2\\ttab\\u0001x\\u001fy\\r\\b\\f\\u0000end\", \"quote\""
        + ": \"say \\\"hi\\\"\", \"backslash\": \"C:\\\\path\\\\x\", \"slash\": \"a/b</scri"
        + "pt>\", \"del\": \"x\\u007fy\", \"k\\ney\\t\": \"control chars in key\", \"mixed"
        + "\": \"\\u00e9\\\"\\\\/\\n\\u2028\\u2029\"}";
    private static final String CANON_STRINGS = "{\"backslash\":\"C:\\\\path\\\\x\",\"ctrl\":\"line1\\nline2\\ttab\\u0001x\\u001f"
        + "y\\r\\b\\f\\u0000end\",\"del\":\"x\177y\",\"k\\ney\\t\":\"control chars in key\""
        + ",\"mixed\":\"\u00E9\\\"\\\\/\\n\u2028\u2029\",\"quote\":\"say \\\"hi\\\"\",\"sla"
        + "sh\":\"a/b</script>\"}";
    private static final String SIG_STRINGS = "B5P3TZrwIlaT+VNCBhb0xFKMP2WPwQAFXd/8e2KZeJ0=";

    // ---- HANDWRITTEN: escaped slash, upper-case hex escapes, surrogate-pair escape, odd whitespace, duplicate keys
    private static final String RAW_HANDWRITTEN = "\r\n\t {\"b\" : \"\\/path\\u00E9\\uD83D\\uDE00\" ,\n \"a\":[ 1 , -2 ,\"x\" , {\""
        + "y\":1,\"x\":2}] , \"dup\" : \"first\" , \"c\" : { } , \"dup\" : \"last-wins\" } "
        + "\n";
    private static final String CANON_HANDWRITTEN = "{\"a\":[1,-2,\"x\",{\"x\":2,\"y\":1}],\"b\":\"/path\u00E9\uD83D\uDE00\",\"c\":{}"
        + ",\"dup\":\"last-wins\"}";

    // ---- BOM: Python's json.loads(bytes) ignores a UTF-8 BOM
    private static final String RAW_BOM = "\uFEFF{\"b\":1,\"a\":2}";
    private static final String CANON_BOM = "{\"a\":2,\"b\":1}";

    // ---------------------------------------------------------------- helpers

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertCanonical(String expected, String raw) throws IOException {
        byte[] actual = AttendeeCanonicalJson.canonicalize(utf8(raw));
        assertEquals(expected, new String(actual, StandardCharsets.UTF_8));
        assertArrayEquals(utf8(expected), actual);
    }

    private static String hmacBase64(String base64Key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(message));
    }

    // ---------------------------------------------------------------- canonicalize(): Python vectors

    @Test
    void stateChangeBodyMatchesPython() throws IOException {
        assertCanonical(CANON_STATE_CHANGE, RAW_STATE_CHANGE);
    }

    @Test
    void unicodeBodyFromRequestsIsUnescapedAndSortedByCodePoint() throws IOException {
        assertCanonical(CANON_UNICODE, RAW_UNICODE);
    }

    @Test
    void pythonNumberSpellingsSurvive() throws IOException {
        assertCanonical(CANON_NUMBERS, RAW_NUMBERS);
    }

    @Test
    void nestedObjectsAreSortedAndArraysKeepOrder() throws IOException {
        assertCanonical(CANON_NESTED, RAW_NESTED);
    }

    @Test
    void controlCharactersQuotesBackslashesAndSlashes() throws IOException {
        assertCanonical(CANON_STRINGS, RAW_STRINGS);
    }

    @Test
    void handwrittenEscapesWhitespaceAndDuplicateKeys() throws IOException {
        assertCanonical(CANON_HANDWRITTEN, RAW_HANDWRITTEN);
    }

    @Test
    void utf8BomIsIgnoredLikePython() throws IOException {
        assertCanonical(CANON_BOM, RAW_BOM);
    }

    static Stream<Arguments> topLevelValues() {
        // raw -> Python canonical (vectors TOP0..TOP4)
        return Stream.of(
                Arguments.of("[3, {\"b\": 1, \"a\": 2}, \"x\"]", "[3,{\"a\":2,\"b\":1},\"x\"]"),
                Arguments.of("\"str\\u00e9\"", "\"str\u00E9\""),
                Arguments.of("null", "null"),
                Arguments.of("true", "true"),
                Arguments.of(" -1.5 ", "-1.5"));
    }

    @ParameterizedTest
    @MethodSource("topLevelValues")
    void nonObjectTopLevelValues(String raw, String expected) throws IOException {
        assertCanonical(expected, raw);
    }

    // ---------------------------------------------------------------- canonicalize(): semantics without Python

    @Test
    void numberTokensArePassedThroughVerbatim() throws IOException {
        // Python json.loads+dumps would give 100000.0, 100000.0, 0, 1.5, 1.0 -- but Attendee's body is already
        // Python-made, so the token text is exactly what was signed; never re-format numbers.
        String raw = "{ \"e\": 1e5, \"E\": 1E+5, \"negzero\": -0, \"trailing\": 1.50, \"big\": 12345678901234567890123,"
                + " \"bigfrac\": 0.10000000000000000000000001, \"neg\": -7 }";
        assertCanonical("{\"E\":1E+5,\"big\":12345678901234567890123,\"bigfrac\":0.10000000000000000000000001,"
                + "\"e\":1e5,\"neg\":-7,\"negzero\":-0,\"trailing\":1.50}", raw);
    }

    @Test
    void keysAreOrderedByCodePointNotUtf16Unit() throws IOException {
        String fi = "\uFB01";            // U+FB01, a single UTF-16 unit 0xFB01
        String grin = "\uD83D\uDE00";    // U+1F600, UTF-16 units 0xD83D 0xDE00
        assertTrue(grin.compareTo(fi) < 0, "String.compareTo orders the emoji first (UTF-16)");
        assertTrue(AttendeeCanonicalJson.compareByCodePoint(fi, grin) < 0, "Python orders U+FB01 first");
        assertCanonical("{\"" + fi + "\":1,\"" + grin + "\":2}", "{\"" + grin + "\":2,\"" + fi + "\":1}");
    }

    @Test
    void codePointComparator() {
        assertEquals(0, AttendeeCanonicalJson.compareByCodePoint("", ""));
        assertTrue(AttendeeCanonicalJson.compareByCodePoint("", "a") < 0);
        assertTrue(AttendeeCanonicalJson.compareByCodePoint("a", "aa") < 0);
        assertTrue(AttendeeCanonicalJson.compareByCodePoint("B", "a") < 0);
        assertTrue(AttendeeCanonicalJson.compareByCodePoint("\uE000", "\uD83D\uDE00") < 0);
        assertTrue(AttendeeCanonicalJson.compareByCodePoint("\uD83D\uDE00", "\uD83D\uDE00x") < 0);
        assertTrue(AttendeeCanonicalJson.compareByCodePoint("\uD83D\uDE01", "\uD83D\uDE00x") > 0);
        assertEquals(0, AttendeeCanonicalJson.compareByCodePoint("\uD83D\uDE00", "\uD83D\uDE00"));
    }

    @Test
    void supplementaryCharactersAreRawFourByteUtf8() throws IOException {
        byte[] out = AttendeeCanonicalJson.canonicalize(utf8("{\"k\":\"\\ud83d\\ude00\"}"));
        assertArrayEquals(new byte[] {'{', '"', 'k', '"', ':', '"',
                (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, '"', '}'}, out);
    }

    @Test
    void lowercaseUnicodeEscapesForOtherControlCharacters() throws IOException {
        assertCanonical("[\"\\u001f\\u001b\\u000b\\u0000\"]", "[\"\\u001F\\u001B\\u000B\\u0000\"]");
    }

    // ---------------------------------------------------------------- canonicalize(): rejection

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("whitespace only", utf8("  \n ")),
                Arguments.of("truncated after colon", utf8("{\"a\":")),
                Arguments.of("truncated value", utf8("{\"a\":1")),
                Arguments.of("truncated string", utf8("{\"a\":\"x")),
                Arguments.of("truncated array", utf8("[1,2")),
                Arguments.of("trailing garbage", utf8("{} x")),
                Arguments.of("second root value", utf8("{}{}")),
                Arguments.of("trailing close bracket", utf8("{}]")),
                Arguments.of("trailing comma", utf8("{\"a\":1,}")),
                Arguments.of("single quotes", utf8("{'a':1}")),
                Arguments.of("unquoted key", utf8("{a:1}")),
                Arguments.of("NaN", utf8("{\"a\":NaN}")),
                Arguments.of("Infinity", utf8("{\"a\":-Infinity}")),
                Arguments.of("leading zero", utf8("{\"a\":01}")),
                Arguments.of("comment", utf8("{\"a\":1 /* c */}")),
                Arguments.of("raw newline in string", utf8("{\"a\":\"x\ny\"}")),
                Arguments.of("bad escape", utf8("{\"a\":\"\\x41\"}")),
                Arguments.of("lone high surrogate escape", utf8("{\"a\":\"\\ud800\"}")),
                Arguments.of("lone low surrogate escape in key", utf8("{\"\\udc00\":1}")),
                Arguments.of("invalid UTF-8 C3 28", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'}),
                Arguments.of("overlong UTF-8 C0 AF", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}),
                Arguments.of("UTF-8 encoded surrogate ED A0 80",
                        new byte[] {'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'}),
                Arguments.of("truncated multi-byte sequence", new byte[] {'[', '"', (byte) 0xE6, (byte) 0x97, '"', ']'}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedBodiesThrowIOException(String description, byte[] body) {
        assertThrows(IOException.class, () -> AttendeeCanonicalJson.canonicalize(body));
    }

    @Test
    void deeplyNestedArraysThrowIOExceptionNotStackOverflow() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThrows(IOException.class, () -> AttendeeCanonicalJson.canonicalize(utf8(deep)));
    }

    @Test
    void deeplyNestedObjectsThrowIOExceptionNotStackOverflow() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertThrows(IOException.class, () -> AttendeeCanonicalJson.canonicalize(utf8(deep)));
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws IOException {
        int depth = AttendeeCanonicalJson.MAX_NESTING_DEPTH;
        String ok = "[".repeat(depth) + "]".repeat(depth);
        assertCanonical(ok, ok);
        String tooDeep = "[".repeat(depth + 1) + "]".repeat(depth + 1);
        assertThrows(IOException.class, () -> AttendeeCanonicalJson.canonicalize(utf8(tooDeep)));
    }

    // ---------------------------------------------------------------- sign()

    @Test
    void signMatchesPythonForAllVectors() throws IOException {
        assertEquals(SIG_STATE_CHANGE, AttendeeCanonicalJson.sign(SECRET, utf8(RAW_STATE_CHANGE)));
        assertEquals(SIG_UNICODE, AttendeeCanonicalJson.sign(SECRET, utf8(RAW_UNICODE)));
        assertEquals(SIG_NUMBERS, AttendeeCanonicalJson.sign(SECRET, utf8(RAW_NUMBERS)));
        assertEquals(SIG_NESTED, AttendeeCanonicalJson.sign(SECRET, utf8(RAW_NESTED)));
        assertEquals(SIG_STRINGS, AttendeeCanonicalJson.sign(SECRET, utf8(RAW_STRINGS)));
    }

    @Test
    void signUsesDecodedSecretBytesAsKey() throws IOException {
        assertEquals(SIG2_STATE_CHANGE, AttendeeCanonicalJson.sign(SECRET2, utf8(RAW_STATE_CHANGE)));
        assertNotEquals(SIG_STATE_CHANGE, SIG2_STATE_CHANGE);
    }

    @Test
    void signIgnoresSurroundingWhitespaceInSecret() throws IOException {
        assertEquals(SIG_STATE_CHANGE, AttendeeCanonicalJson.sign("  " + SECRET + "\n", utf8(RAW_STATE_CHANGE)));
    }

    @Test
    void hmacOverRawBodyDiffersFromCanonicalSignature() throws Exception {
        byte[] raw = utf8(RAW_STATE_CHANGE);
        String naive = hmacBase64(SECRET, raw);
        assertNotEquals(SIG_STATE_CHANGE, naive, "whitespace/key order in the wire body change the HMAC");
        assertEquals(SIG_STATE_CHANGE, hmacBase64(SECRET, utf8(CANON_STATE_CHANGE)));
        assertEquals(SIG_STATE_CHANGE, AttendeeCanonicalJson.sign(SECRET, raw));
    }

    @Test
    void signRejectsInvalidSecret() {
        byte[] body = utf8("{}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttendeeCanonicalJson.sign("not base64!!", body));
        assertTrue(e.getMessage().contains("base64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttendeeCanonicalJson.sign(null, body));
        assertThrows(IllegalArgumentException.class, () -> AttendeeCanonicalJson.sign("", body));
    }

    @Test
    void signRejectsMalformedBody() {
        assertThrows(IOException.class, () -> AttendeeCanonicalJson.sign(SECRET, utf8("{\"a\":1} trailing")));
    }
}
