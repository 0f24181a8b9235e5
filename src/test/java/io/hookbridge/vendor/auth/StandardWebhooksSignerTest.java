package io.hookbridge.vendor.auth;

import io.hookbridge.vendor.outbound.OutboundRequest;
import io.hookbridge.delivery.CloudEventsRenderer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;

/**
 * Standard Webhooks signing. The expected signatures were computed independently with CPython 3
 * ({@code hmac.new(base64.b64decode(secret[6:]), f"{id}.{ts}.".encode() + body.encode("utf-8"), hashlib.sha256)},
 * base64) and pasted here as literals; the first is also the published Standard Webhooks / Svix test vector.
 * Verification by the reference implementation runs the npm {@code standardwebhooks} package under node
 * ({@code src/test/node}, installed by {@code npm ci --prefix src/test/node}).
 */
class StandardWebhooksSignerTest {

    // The Standard Webhooks specification's example.
    static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long SPEC_TIMESTAMP = 1614265330L;
    static final String SPEC_BODY = "{\"test\": 2432232314}";
    static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // A second key: base64 of "second-hookbridge-key-for-tests!".
    static final String SECOND_SECRET = "whsec_c2Vjb25kLWhvb2ticmlkZ2Uta2V5LWZvci10ZXN0cyE=";
    // Non-ASCII body (é, ü and U+1F389 as raw UTF-8), id evt-1, timestamp 1736935200.
    static final String BODY = "{\"specversion\":\"1.0\",\"id\":\"evt-1\",\"type\":\"participant.joined\","
            + "\"data\":{\"name\":\"Jos\u00e9 M\u00fcller \uD83C\uDF89\"}}";
    static final long TIMESTAMP = 1736935200L;
    static final String BODY_SIGNATURE_1 = "v1,SRGLxSZu3wNzQOQMX3nZsRIV+0wRUPnLbsGU9YSaIzw=";
    static final String BODY_SIGNATURE_2 = "v1,mQUXJMOLhsnr8uV08xjKth0xvZA23/gybIKEMAnLJpc=";

    static final Path NODE_DIR = basedir().resolve("src/test/node");
    static final String NODE_SCRIPT = "src/test/node/verify-standard-webhooks.mjs";

    @Test
    void knownVectors() {
        assertEquals(SPEC_SIGNATURE, StandardWebhooksSigner.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, bytes(SPEC_BODY)));
        assertEquals(BODY_SIGNATURE_1, StandardWebhooksSigner.sign(SPEC_SECRET, "evt-1", TIMESTAMP, bytes(BODY)));
        assertEquals(BODY_SIGNATURE_2, StandardWebhooksSigner.sign(SECOND_SECRET, "evt-1", TIMESTAMP, bytes(BODY)));
        // a secret without the whsec_ prefix is the base64 key itself
        assertEquals(BODY_SIGNATURE_2, StandardWebhooksSigner.sign(SECOND_SECRET.substring(6), "evt-1", TIMESTAMP, bytes(BODY)));
    }

    @Test
    void oneSignaturePerSecretSpaceSeparated() {
        assertEquals(BODY_SIGNATURE_1 + " " + BODY_SIGNATURE_2,
                StandardWebhooksSigner.signatureHeader(List.of(SPEC_SECRET, SECOND_SECRET), "evt-1", TIMESTAMP, bytes(BODY)));
        Map<String, String> headers = StandardWebhooksSigner.headers(List.of(SPEC_SECRET, SECOND_SECRET), "evt-1",
                Instant.ofEpochSecond(TIMESTAMP, 999_000_000), bytes(BODY));
        assertEquals(Map.of("webhook-id", "evt-1", "webhook-timestamp", "1736935200",
                "webhook-signature", BODY_SIGNATURE_1 + " " + BODY_SIGNATURE_2), headers);
        assertEquals(Map.of("webhook-id", "evt-1", "webhook-timestamp", "1736935200"),
                StandardWebhooksSigner.headers(List.of(), "evt-1", Instant.ofEpochSecond(TIMESTAMP), bytes(BODY)), "no secret: unsigned");
    }

    @Test
    void javaVerify() {
        Instant now = Instant.ofEpochSecond(TIMESTAMP + 60);
        String header = BODY_SIGNATURE_1 + " " + BODY_SIGNATURE_2;
        assertTrue(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", header, bytes(BODY), now));
        assertTrue(StandardWebhooksSigner.verify(SECOND_SECRET, "evt-1", "1736935200", header, bytes(BODY), now));
        assertTrue(StandardWebhooksSigner.verify(SPEC_SECRET, SPEC_ID, Long.toString(SPEC_TIMESTAMP), SPEC_SIGNATURE,
                bytes(SPEC_BODY), Instant.ofEpochSecond(SPEC_TIMESTAMP)));
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", header, bytes(BODY.replace("M\u00fcller", "Muller")), now), "tampered body");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-2", "1736935200", header, bytes(BODY), now), "other id");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935201", header, bytes(BODY), now), "other timestamp");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", BODY_SIGNATURE_2, bytes(BODY), now), "other key's signature");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", header.replace("v1,", "v2,"), bytes(BODY), now), "unknown version");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", header, bytes(BODY),
                Instant.ofEpochSecond(TIMESTAMP + 301)), "older than the tolerance");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", header, bytes(BODY),
                Instant.ofEpochSecond(TIMESTAMP - 301)), "from the future");
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "soon", header, bytes(BODY), now));
        assertFalse(StandardWebhooksSigner.verify(SPEC_SECRET, "evt-1", "1736935200", null, bytes(BODY), now));
        assertThrows(IllegalArgumentException.class, () -> StandardWebhooksSigner.sign("whsec_not base64!", "evt-1", TIMESTAMP, bytes(BODY)));
        assertThrows(IllegalArgumentException.class, () -> StandardWebhooksSigner.sign("whsec_", "evt-1", TIMESTAMP, bytes(BODY)));
    }

    @Test
    void cloudEventsRendererSignsTheCanonicalEvent() throws IOException {
        CanonicalEvent event = event();
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        OutboundRequest request = new CloudEventsRenderer().render(event, List.of(SPEC_SECRET, SECOND_SECRET), now).orElseThrow();
        assertEquals("application/cloudevents+json", request.contentType());
        assertEquals(event.toJson(), request.bodyText());
        assertEquals(event.id(), request.header("webhook-id"));
        assertEquals("1736935200", request.header("webhook-timestamp"));
        String[] signatures = request.header("webhook-signature").split(" ");
        assertEquals(2, signatures.length);
        assertEquals(StandardWebhooksSigner.sign(SPEC_SECRET, event.id(), TIMESTAMP, request.body()), signatures[0]);
        assertEquals(StandardWebhooksSigner.sign(SECOND_SECRET, event.id(), TIMESTAMP, request.body()), signatures[1]);
        assertEquals(EventJson.mapper().readTree(event.toJson()), EventJson.mapper().readTree(request.body()));
        assertEquals(request.header("webhook-id"), new CloudEventsRenderer().render(event, List.of(SPEC_SECRET), now.plusSeconds(60))
                .orElseThrow().header("webhook-id"), "the same webhook-id on every attempt");
    }

    @Test
    void theReferenceVerifierAcceptsOurSignatures() throws Exception {
        CanonicalEvent event = event();
        OutboundRequest request = new CloudEventsRenderer().render(event, List.of(SPEC_SECRET, SECOND_SECRET), Instant.now()).orElseThrow();
        // each active secret verifies on its own against the multi-signature header
        assertNodeVerifies(SPEC_SECRET, request, request.bodyText());
        assertNodeVerifies(SECOND_SECRET, request, request.bodyText());
        // the unprefixed form of a secret signs the same way
        OutboundRequest unprefixed = new CloudEventsRenderer().render(event, List.of(SECOND_SECRET.substring(6)), Instant.now()).orElseThrow();
        assertNodeVerifies(SECOND_SECRET, unprefixed, unprefixed.bodyText());
    }

    @Test
    void theReferenceVerifierRejectsATamperedBody() throws Exception {
        OutboundRequest request = new CloudEventsRenderer().render(event(), List.of(SPEC_SECRET), Instant.now()).orElseThrow();
        String tampered = request.bodyText().replace("participant.joined", "participant.left");
        assertTrue(!tampered.equals(request.bodyText()));
        NodeResult result = runNode(SPEC_SECRET, request.headers(), tampered);
        assertEquals(1, result.exitCode(), "node must reject a tampered body: " + result.output());
        assertTrue(result.output().contains("No matching signature"), result.output());
        NodeResult wrongKey = runNode(SECOND_SECRET, request.headers(), request.bodyText());
        assertEquals(1, wrongKey.exitCode(), "node must reject another key: " + wrongKey.output());
    }

    // ------------------------------------------------------------------------------------------ helpers

    static CanonicalEvent event() {
        ObjectNode data = EventJson.mapper().createObjectNode();
        data.put("sessionId", "1258835");
        data.putObject("participant").put("id", "777").put("name", "Jos\u00e9 M\u00fcller \uD83C\uDF89");
        ObjectNode vendor = data.putObject("vendor");
        vendor.put("source", "iotum");
        vendor.put("event", "enter_conference");
        vendor.putObject("payload").put("event", "enter_conference");
        return new CanonicalEvent("4f1c0d2e9a", "iotum", "participant.joined", "1258835",
                Instant.parse("2022-08-24T20:56:55Z"), "enter_conference", data);
    }

    void assertNodeVerifies(String secret, OutboundRequest request, String body) throws Exception {
        NodeResult result = runNode(secret, request.headers(), body);
        assertEquals(0, result.exitCode(), "the standardwebhooks npm package must accept the signature: " + result.output());
    }

    record NodeResult(int exitCode, String output) { }

    static NodeResult runNode(String secret, Map<String, String> headers, String body) throws Exception {
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/standardwebhooks"))) {
            fail("src/test/node/node_modules is missing: run `npm ci --prefix src/test/node` first "
                    + "(installs the reference Standard Webhooks verifier this test runs)");
        }
        ObjectNode input = EventJson.mapper().createObjectNode();
        input.put("secret", secret);
        ObjectNode headerNode = input.putObject("headers");
        headers.forEach(headerNode::put);
        input.put("body", body);

        Process process;
        try {
            process = new ProcessBuilder("node", NODE_SCRIPT).directory(basedir().toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("could not run node (is Node.js installed and on the PATH?): " + e.getMessage());
            return null;
        }
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(EventJson.write(input).getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("node did not finish within 60 s: " + output);
        }
        return new NodeResult(process.exitValue(), output);
    }

    /** The project directory: Surefire sets basedir (and runs in it by default). */
    static Path basedir() {
        String basedir = System.getProperty("basedir");
        return (basedir == null ? Path.of("") : Path.of(basedir)).toAbsolutePath();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
