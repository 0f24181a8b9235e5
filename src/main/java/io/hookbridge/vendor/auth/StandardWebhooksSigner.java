package io.hookbridge.vendor.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * Standard Webhooks (standardwebhooks.com) signing and verification: {@code webhook-id},
 * {@code webhook-timestamp} (unix seconds) and {@code webhook-signature}, a space-separated list of
 * {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}, one per secret. A secret is
 * {@code whsec_<base64 key>}; one without the prefix is taken as the base64 key itself.
 */
public final class StandardWebhooksSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";
    public static final String VERSION = "v1";
    /** How far the timestamp may be from now when verifying, as the reference libraries allow. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooksSigner() { }

    /**
     * The HMAC key of a secret.
     *
     * @throws IllegalArgumentException if it is not ({@code whsec_} and) base64, or decodes to nothing
     */
    public static byte[] key(String secret) {
        if (secret == null) throw new IllegalArgumentException("a Standard Webhooks secret must not be null");
        String encoded = secret.strip();
        if (encoded.startsWith(SECRET_PREFIX)) encoded = encoded.substring(SECRET_PREFIX.length());
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // never echo the secret
            throw new IllegalArgumentException("a Standard Webhooks secret must be whsec_<base64 key>: " + e.getMessage(), e);
        }
        if (key.length == 0) throw new IllegalArgumentException("a Standard Webhooks secret must not be empty");
        return key;
    }

    /** One signature, {@code v1,<base64>}. */
    public static String sign(String secret, String msgId, long timestamp, byte[] body) {
        return sign(key(secret), msgId, timestamp, body);
    }

    private static String sign(byte[] key, String msgId, long timestamp, byte[] body) {
        byte[] prefix = (msgId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return VERSION + "," + Base64.getEncoder().encodeToString(Hmac.sha256(key, signed));
    }

    /** The {@code webhook-signature} value: one signature per secret, space-separated, in the given order. */
    public static String signatureHeader(List<String> secrets, String msgId, long timestamp, byte[] body) {
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (header.length() > 0) header.append(' ');
            header.append(sign(secret, msgId, timestamp, body));
        }
        return header.toString();
    }

    /** The three headers; {@code webhook-signature} only when there is at least one secret. */
    public static Map<String, String> headers(List<String> secrets, String msgId, Instant now, byte[] body) {
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, msgId);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestamp));
        if (!secrets.isEmpty()) headers.put(SIGNATURE_HEADER, signatureHeader(secrets, msgId, timestamp, body));
        return headers;
    }

    /** {@link #verify(String, String, String, String, byte[], Instant, Duration)} with the default 5 minute tolerance. */
    public static boolean verify(String secret, String msgId, String timestamp, String signatureHeader, byte[] body, Instant now) {
        return verify(secret, msgId, timestamp, signatureHeader, body, now, DEFAULT_TOLERANCE);
    }

    /**
     * Whether any {@code v1} signature in the header matches (constant-time), with the timestamp within
     * {@code tolerance} of {@code now}. Missing or malformed headers answer false; only an unusable secret throws.
     */
    public static boolean verify(String secret, String msgId, String timestamp, String signatureHeader, byte[] body,
                                 Instant now, Duration tolerance) {
        byte[] key = key(secret);
        if (msgId == null || msgId.isEmpty() || timestamp == null || signatureHeader == null) return false;
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) return false;
        String expected = sign(key, msgId, seconds, body);
        byte[] expectedSignature = expected.substring(VERSION.length() + 1).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String versioned : signatureHeader.strip().split(" +")) {
            int comma = versioned.indexOf(',');
            if (comma < 0 || !VERSION.equals(versioned.substring(0, comma))) continue;
            matched |= MessageDigest.isEqual(versioned.substring(comma + 1).getBytes(StandardCharsets.US_ASCII), expectedSignature);
        }
        return matched;
    }
}
