package io.hookbridge.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.hookbridge.vendor.attendee.AttendeeCanonicalJson;

/** Authenticates a body the way each vendor does (CONTRACT section 2), with the secrets the tests configure. */
public final class VendorSigner {

    public static final Map<String, String> SECRETS = Map.of(
            "pencil", "pencil-test-secret",
            "iotum", "iotum-test-token",
            "recordings", "recordings-test-secret",
            "attendee", "c2VjcmV0LWtleS1mb3ItdGVzdHMtMTIzNA==",
            "spaceos", "spaceos-test-secret");

    public static final List<String> SOURCES = List.of("pencil", "iotum", "recordings", "attendee", "spaceos");

    private VendorSigner() { }

    /** Spring properties configuring every source's secret. */
    public static String[] secretProperties() {
        return SOURCES.stream().map(s -> "hookbridge.sources." + s + ".secret=" + SECRETS.get(s)).toArray(String[]::new);
    }

    public static Map<String, String> headers(String source, byte[] body) {
        return headers(source, body, SECRETS.get(source));
    }

    public static Map<String, String> headers(String source, byte[] body, String secret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        switch (source) {
            case "pencil" -> headers.put("Authorization", "Bearer " + secret);
            case "iotum" -> headers.put("x-signing-token", secret);
            case "recordings" -> headers.put("X-Webhook-Signature", "sha256=" + hex(hmac(secret.getBytes(StandardCharsets.UTF_8), body)));
            case "spaceos" -> headers.put("X-Webhook-Signature", hex(hmac(secret.getBytes(StandardCharsets.UTF_8), body)));
            case "attendee" -> {
                try {
                    headers.put("X-Webhook-Signature", AttendeeCanonicalJson.sign(secret, body));
                } catch (IOException e) {
                    // a body that is not JSON cannot be signed the Attendee way: send a signature of nothing
                    headers.put("X-Webhook-Signature", "bm90LWpzb24=");
                }
            }
            default -> throw new IllegalArgumentException(source);
        }
        return headers;
    }

    public static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
