package io.hookbridge.vendor.attendee;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Base64;

import io.hookbridge.vendor.auth.Verifier;
import io.hookbridge.vendor.auth.Verifiers;
import io.hookbridge.source.WebhookException;

/**
 * Attendee signs {@code json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))}
 * with the base64-decoded project secret, and sends the base64 HMAC-SHA256 in X-Webhook-Signature.
 */
public final class AttendeeSignatureVerifier implements Verifier {

    @Override
    public boolean verify(byte[] body, String headerValue, String secret) {
        byte[] given;
        byte[] key;
        try {
            given = Base64.getDecoder().decode(headerValue.strip());
            key = Base64.getDecoder().decode(secret.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] canonical;
        try {
            canonical = AttendeeCanonicalJson.canonicalize(body);
        } catch (IOException e) {
            throw WebhookException.invalid("body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return MessageDigest.isEqual(given, Verifiers.hmacSha256(key, canonical));
    }
}
