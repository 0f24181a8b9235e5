package io.hookbridge.vendor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.VendorDefinition;

/** Each built-in scheme accepts what it signs, refuses what it should, and matches an independent computation. */
class AuthSchemesTest {

    static final byte[] BODY = "{\"event\":\"x\",\"n\":1}".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2025-03-04T10:00:00Z");

    static VendorDefinition.Auth auth(String scheme, String header) {
        VendorDefinition.Auth auth = new VendorDefinition.Auth();
        auth.scheme = scheme;
        auth.header = header;
        return auth;
    }

    static byte[] hmac(String key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data);
    }

    static void verify(AuthScheme scheme, Map<String, String> headers, List<String> secrets, Instant now) {
        scheme.verify(BODY, name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null), secrets, now);
    }

    @Test
    void hmacBase64WithAPrefixSignsWhatAReceiverComputes() throws Exception {
        VendorDefinition.Auth auth = auth("hmac-sha256", "X-Sig");
        auth.encoding = "base64";
        auth.prefix = "sha256=";
        AuthScheme scheme = AuthSchemes.create(auth);
        Map<String, String> headers = scheme.sign(BODY, List.of("k1", "k0"), "id", NOW);
        assertThat(headers).containsExactly(Map.entry("X-Sig", "sha256=" + Base64.getEncoder().encodeToString(hmac("k1", BODY))));
        assertThatCode(() -> verify(scheme, headers, List.of("other", "k1"), NOW)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(scheme, headers, List.of("k0"), NOW)).isInstanceOf(WebhookException.class).hasMessage("X-Sig does not match");
        assertThatThrownBy(() -> verify(scheme, Map.of("X-Sig", "md5=abc"), List.of("k1"), NOW)).hasMessage("X-Sig must start with 'sha256='");
    }

    @Test
    void standardWebhooksAcceptsEverySecretsSignatureWithinFiveMinutes() {
        String secret = "whsec_" + Base64.getEncoder().encodeToString("standard-key-0123456789".getBytes(StandardCharsets.UTF_8));
        AuthScheme scheme = AuthSchemes.create(auth("standard-webhooks", null));
        Map<String, String> headers = scheme.sign(BODY, List.of(secret), "msg_1", NOW);
        assertThat(headers).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(StandardWebhooksSigner.verify(secret, "msg_1", headers.get("webhook-timestamp"), headers.get("webhook-signature"), BODY, NOW)).isTrue();
        assertThatCode(() -> verify(scheme, headers, List.of(secret), NOW.plusSeconds(299))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verify(scheme, headers, List.of(secret), NOW.plusSeconds(301))).hasMessageContaining("replay window");
        assertThatThrownBy(() -> verify(scheme, Map.of("webhook-id", "m"), List.of(secret), NOW)).hasMessage("missing webhook-timestamp header");
    }

    @Test
    void timestampedHmacInOneHeaderOrTwo() throws Exception {
        AuthScheme pairs = AuthSchemes.create(auth("timestamped-hmac", "Sig"));
        Map<String, String> signed = pairs.sign(BODY, List.of("s"), "id", NOW);
        long t = NOW.getEpochSecond();
        byte[] payload = (t + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(signed).containsExactly(Map.entry("Sig", "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac("s", payload))));
        // a rotation: two v1 entries, either may match
        verify(pairs, Map.of("Sig", "t=" + t + ",v1=00ff,v1=" + HexFormat.of().formatHex(hmac("s", payload))), List.of("s"), NOW);
        assertThatThrownBy(() -> verify(pairs, Map.of("Sig", "v1=00"), List.of("s"), NOW)).hasMessage("Sig has no t=<unix seconds>");
        assertThatThrownBy(() -> verify(pairs, signed, List.of("s"), NOW.minusSeconds(301))).hasMessageContaining("replay window");

        VendorDefinition.Auth twoHeaders = auth("timestamped-hmac", "X-Signature");
        twoHeaders.timestampHeader = "X-Timestamp";
        twoHeaders.signedPayload = "v0:{timestamp}:{body}";
        twoHeaders.encoding = "base64";
        twoHeaders.tolerance = 60;
        AuthScheme slackLike = AuthSchemes.create(twoHeaders);
        Map<String, String> headers = slackLike.sign(BODY, List.of("s"), "id", NOW);
        byte[] slackPayload = ("v0:" + t + ":" + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(headers).containsEntry("X-Timestamp", Long.toString(t))
                .containsEntry("X-Signature", Base64.getEncoder().encodeToString(hmac("s", slackPayload)));
        verify(slackLike, headers, List.of("s"), NOW.plusSeconds(60));
        assertThatThrownBy(() -> verify(slackLike, headers, List.of("s"), NOW.plusSeconds(61))).hasMessageContaining("replay window");
    }

    @Test
    void aSchemeMissingWhatItNeedsIsRefusedByName() {
        assertThatThrownBy(() -> AuthSchemes.create(auth("token", null))).hasMessage("auth.header is required for this scheme");
        VendorDefinition.Auth bad = auth("timestamped-hmac", "Sig");
        bad.signedPayload = "{body}";
        assertThatThrownBy(() -> AuthSchemes.create(bad)).hasMessageContaining("auth.signedPayload must hold {timestamp} once");
        VendorDefinition.Auth encoding = auth("hmac-sha256", "Sig");
        encoding.encoding = "base32";
        assertThatThrownBy(() -> AuthSchemes.create(encoding)).hasMessage("auth.encoding must be hex or base64, found 'base32'");
    }
}
