package io.hookbridge.vendor.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import io.hookbridge.vendor.attendee.AttendeeSignatureVerifier;

/** The authentication schemes a source definition can name, and the HMAC and comparison helpers they share. */
public final class Verifiers {

    private static final Map<String, Verifier> SCHEMES = Map.of(
            "bearer", Verifiers::bearer,
            "token", Verifiers::token,
            "hmac-sha256-hex", Verifiers::hmacSha256Hex,
            "attendee", new AttendeeSignatureVerifier());

    private Verifiers() { }

    public static Verifier forScheme(String scheme) {
        Verifier verifier = SCHEMES.get(scheme);
        if (verifier == null) {
            throw new IllegalArgumentException("unknown auth scheme '" + scheme + "' (known: " + String.join(", ", SCHEMES.keySet()) + ")");
        }
        return verifier;
    }

    /** {@code Authorization: Bearer <secret>}. */
    static boolean bearer(byte[] body, String header, String secret) {
        String value = header.strip();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) return false;
        return constantTimeEquals(value.substring(7).strip(), secret);
    }

    /** A static shared token sent as the header's whole value. */
    static boolean token(byte[] body, String header, String secret) {
        return constantTimeEquals(header.strip(), secret);
    }

    /** Hex HMAC-SHA256 of the raw body keyed with the secret's UTF-8 bytes; any "sha256=" prefix is stripped by the caller. */
    static boolean hmacSha256Hex(byte[] body, String header, String secret) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** One Mac per thread: looking the algorithm up per call was a visible part of a request's CPU. */
    private static final ThreadLocal<javax.crypto.Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return javax.crypto.Mac.getInstance("HmacSHA256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            javax.crypto.Mac mac = HMAC_SHA256.get();
            mac.init(new javax.crypto.spec.SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
