package io.hookbridge.vendor.attendee;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Base64;

import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.auth.HeaderCredentialScheme;
import io.hookbridge.vendor.auth.Hmac;

/**
 * {@code auth.scheme: attendee}. Attendee signs {@code json.dumps(payload, sort_keys=True, ensure_ascii=False,
 * separators=(",", ":"))} with the base64-decoded project secret and sends the base64 HMAC-SHA256 in the
 * header; outbound, the body sent is that canonical JSON itself, the very bytes signed.
 */
public final class AttendeeScheme extends HeaderCredentialScheme {

    public AttendeeScheme(String header) {
        super(header, "");
    }

    @Override
    protected boolean matches(byte[] body, String credential, String secret) {
        byte[] given;
        byte[] key;
        try {
            given = Base64.getDecoder().decode(credential.strip());
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
        return MessageDigest.isEqual(given, Hmac.sha256(key, canonical));
    }

    @Override
    protected String credential(byte[] wire, String secret) {
        try {
            return AttendeeCanonicalJson.sign(secret, wire);
        } catch (IOException e) {
            throw new IllegalStateException("a rendered Attendee body could not be canonicalized: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] wireBody(byte[] body) {
        try {
            return AttendeeCanonicalJson.canonicalize(body);
        } catch (IOException e) {
            throw new IllegalStateException("a rendered Attendee body could not be canonicalized: " + e.getMessage(), e);
        }
    }
}
