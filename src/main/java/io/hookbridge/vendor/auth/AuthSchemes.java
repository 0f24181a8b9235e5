package io.hookbridge.vendor.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.hookbridge.event.WebhookException;
import io.hookbridge.vendor.VendorDefinition;

/** The built-in authentication schemes a vendor definition names in {@code auth.scheme}. */
public final class AuthSchemes {

    public static final String BEARER = "bearer";
    public static final String TOKEN = "token";
    public static final String HMAC_SHA256 = "hmac-sha256";
    public static final String STANDARD_WEBHOOKS = "standard-webhooks";
    public static final String TIMESTAMPED_HMAC = "timestamped-hmac";
    /** Attendee's canonical-JSON HMAC; built by the vendor package (io.hookbridge.vendor.attendee). */
    public static final String ATTENDEE = "attendee";

    /** Every scheme name accepted, the old {@code hmac-sha256-hex} spelling included. */
    public static final List<String> NAMES = List.of(BEARER, TOKEN, HMAC_SHA256, "hmac-sha256-hex", "hmac-sha256-base64",
            STANDARD_WEBHOOKS, TIMESTAMPED_HMAC, ATTENDEE);

    private AuthSchemes() { }

    /**
     * The scheme an {@code auth} section describes (Attendee's excepted).
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static AuthScheme create(VendorDefinition.Auth auth) {
        String scheme = auth.scheme;
        if (scheme == null) throw new IllegalArgumentException("auth.scheme is required (one of " + String.join(", ", NAMES) + ")");
        return switch (scheme) {
            case BEARER -> new Bearer(auth.header == null ? "Authorization" : auth.header, auth.prefix);
            case TOKEN -> new Token(required(auth.header, "auth.header"), auth.prefix);
            case HMAC_SHA256 -> new HmacSha256(required(auth.header, "auth.header"), auth.prefix, encoding(auth.encoding));
            case "hmac-sha256-hex" -> new HmacSha256(required(auth.header, "auth.header"), auth.prefix, Encoding.HEX);
            case "hmac-sha256-base64" -> new HmacSha256(required(auth.header, "auth.header"), auth.prefix, Encoding.BASE64);
            case STANDARD_WEBHOOKS -> new StandardWebhooks(tolerance(auth, StandardWebhooksSigner.DEFAULT_TOLERANCE));
            case TIMESTAMPED_HMAC -> new TimestampedHmac(auth);
            default -> throw new IllegalArgumentException("unknown auth.scheme '" + scheme + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is required for this scheme");
        return value;
    }

    private static Duration tolerance(VendorDefinition.Auth auth, Duration otherwise) {
        if (auth.tolerance == null) return otherwise;
        if (auth.tolerance <= 0) throw new IllegalArgumentException("auth.tolerance must be a positive number of seconds, found " + auth.tolerance);
        return Duration.ofSeconds(auth.tolerance);
    }

    enum Encoding {
        HEX, BASE64;

        String encode(byte[] mac) {
            return this == HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
        }

        /** @return null if the text is not in this encoding */
        byte[] decode(String text) {
            try {
                return this == HEX ? HexFormat.of().parseHex(text.strip()) : Base64.getDecoder().decode(text.strip());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private static Encoding encoding(String name) {
        if (name == null || name.equals("hex")) return Encoding.HEX;
        if (name.equals("base64")) return Encoding.BASE64;
        throw new IllegalArgumentException("auth.encoding must be hex or base64, found '" + name + "'");
    }

    /** {@code Authorization: Bearer <secret>}. */
    static final class Bearer extends HeaderCredentialScheme {
        Bearer(String header, String prefix) {
            super(header, prefix);
        }

        @Override
        protected boolean matches(byte[] body, String credential, String secret) {
            String value = credential.strip();
            if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) return false;
            return Hmac.constantTimeEquals(value.substring(7).strip(), secret);
        }

        @Override
        protected String credential(byte[] wire, String secret) {
            return "Bearer " + secret;
        }
    }

    /** A static shared token sent as the header's whole value. */
    static final class Token extends HeaderCredentialScheme {
        Token(String header, String prefix) {
            super(header, prefix);
        }

        @Override
        protected boolean matches(byte[] body, String credential, String secret) {
            return Hmac.constantTimeEquals(credential.strip(), secret);
        }

        @Override
        protected String credential(byte[] wire, String secret) {
            return secret;
        }
    }

    /** HMAC-SHA256 of the raw body keyed with the secret's UTF-8 bytes, hex or base64, after an optional prefix. */
    static final class HmacSha256 extends HeaderCredentialScheme {
        private final Encoding encoding;

        HmacSha256(String header, String prefix, Encoding encoding) {
            super(header, prefix);
            this.encoding = encoding;
        }

        @Override
        protected boolean matches(byte[] body, String credential, String secret) {
            byte[] given = encoding.decode(credential);
            return given != null && MessageDigest.isEqual(given, Hmac.sha256(secret, body));
        }

        @Override
        protected String credential(byte[] wire, String secret) {
            return encoding.encode(Hmac.sha256(secret, wire));
        }
    }

    /** Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature; secrets {@code whsec_<base64>}. */
    static final class StandardWebhooks implements AuthScheme {
        private final Duration tolerance;

        StandardWebhooks(Duration tolerance) {
            this.tolerance = tolerance;
        }

        @Override
        public void verify(byte[] body, Function<String, String> header, List<String> secrets, Instant now) {
            String id = header.apply(StandardWebhooksSigner.ID_HEADER);
            String timestamp = header.apply(StandardWebhooksSigner.TIMESTAMP_HEADER);
            String signature = header.apply(StandardWebhooksSigner.SIGNATURE_HEADER);
            for (String[] required : new String[][] {{StandardWebhooksSigner.ID_HEADER, id},
                    {StandardWebhooksSigner.TIMESTAMP_HEADER, timestamp}, {StandardWebhooksSigner.SIGNATURE_HEADER, signature}}) {
                if (required[1] == null || required[1].isBlank()) throw WebhookException.unauthorized("missing " + required[0] + " header");
            }
            requireWithin(timestamp, StandardWebhooksSigner.TIMESTAMP_HEADER, now, tolerance);
            boolean verified = false;
            for (String secret : secrets) {
                try {
                    verified |= StandardWebhooksSigner.verify(secret, id, timestamp, signature, body, now, tolerance);
                } catch (IllegalArgumentException unusableSecret) {
                    // a secret that is not whsec_<base64> verifies nothing
                }
            }
            if (!verified) throw WebhookException.unauthorized(StandardWebhooksSigner.SIGNATURE_HEADER + " does not match");
        }

        @Override
        public Map<String, String> sign(byte[] wire, List<String> secrets, String messageId, Instant now) {
            return StandardWebhooksSigner.headers(secrets, messageId, now, wire);
        }
    }

    /** Refuses a timestamp (unix seconds) that is not a number or is more than the tolerance away from now. */
    static long requireWithin(String timestamp, String where, Instant now, Duration tolerance) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw WebhookException.unauthorized(where + " must be unix seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw WebhookException.unauthorized(where + " is more than " + tolerance.toSeconds() + " s from now (replay window)");
        }
        return seconds;
    }

    /**
     * A timestamped HMAC in the manner of Stripe and Slack: the header holds {@code t=<unix seconds>,v1=<mac>}
     * (key names configurable; several v1 entries allowed during a rotation), or the timestamp comes in a header
     * of its own; the MAC is over {@code signedPayload} with {timestamp} and {body} replaced, and a timestamp
     * more than {@code tolerance} seconds (default 300) from now is refused, so a captured request cannot be replayed later.
     */
    static final class TimestampedHmac implements AuthScheme {
        private final String header;
        private final String prefix;
        private final String timestampHeader;
        private final String timestampKey;
        private final String signatureKey;
        private final byte[] beforeTimestamp;
        private final byte[] betweenTimestampAndBody;
        private final byte[] afterBody;
        private final Encoding encoding;
        private final Duration tolerance;

        TimestampedHmac(VendorDefinition.Auth auth) {
            header = required(auth.header, "auth.header");
            prefix = auth.prefix == null ? "" : auth.prefix;
            timestampHeader = auth.timestampHeader;
            timestampKey = required(auth.timestampKey, "auth.timestampKey");
            signatureKey = required(auth.signatureKey, "auth.signatureKey");
            encoding = encoding(auth.encoding);
            tolerance = tolerance(auth, Duration.ofMinutes(5));
            String template = required(auth.signedPayload, "auth.signedPayload");
            int t = template.indexOf("{timestamp}");
            int b = template.indexOf("{body}");
            if (t < 0 || b < 0 || b < t || template.indexOf("{timestamp}", t + 1) >= 0 || template.indexOf("{body}", b + 1) >= 0) {
                throw new IllegalArgumentException("auth.signedPayload must hold {timestamp} once, then {body} once, found '" + template + "'");
            }
            beforeTimestamp = template.substring(0, t).getBytes(StandardCharsets.UTF_8);
            betweenTimestampAndBody = template.substring(t + "{timestamp}".length(), b).getBytes(StandardCharsets.UTF_8);
            afterBody = template.substring(b + "{body}".length()).getBytes(StandardCharsets.UTF_8);
        }

        private byte[] signed(long timestamp, byte[] body) {
            byte[] ts = Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[beforeTimestamp.length + ts.length + betweenTimestampAndBody.length + body.length + afterBody.length];
            int at = 0;
            for (byte[] part : new byte[][] {beforeTimestamp, ts, betweenTimestampAndBody, body, afterBody}) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }

        @Override
        public void verify(byte[] body, Function<String, String> headers, List<String> secrets, Instant now) {
            String value = headers.apply(header);
            if (value == null || value.isBlank()) throw WebhookException.unauthorized("missing " + header + " header");
            if (!value.startsWith(prefix)) throw WebhookException.unauthorized(header + " must start with '" + prefix + "'");
            value = value.substring(prefix.length());
            String timestamp;
            List<String> signatures = new ArrayList<>();
            if (timestampHeader != null) {
                timestamp = headers.apply(timestampHeader);
                if (timestamp == null || timestamp.isBlank()) throw WebhookException.unauthorized("missing " + timestampHeader + " header");
                signatures.add(value.strip());
            } else {
                timestamp = null;
                for (String pair : value.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) continue;
                    String key = pair.substring(0, eq).strip();
                    if (key.equals(timestampKey)) timestamp = pair.substring(eq + 1).strip();
                    else if (key.equals(signatureKey)) signatures.add(pair.substring(eq + 1).strip());
                }
                if (timestamp == null) throw WebhookException.unauthorized(header + " has no " + timestampKey + "=<unix seconds>");
                if (signatures.isEmpty()) throw WebhookException.unauthorized(header + " has no " + signatureKey + "=<signature>");
            }
            long seconds = requireWithin(timestamp, timestampHeader != null ? timestampHeader : header + " " + timestampKey, now, tolerance);
            byte[] signed = signed(seconds, body);
            boolean verified = false;
            for (String secret : secrets) {
                byte[] expected = Hmac.sha256(secret, signed);
                for (String signature : signatures) {
                    byte[] given = encoding.decode(signature);
                    verified |= given != null && MessageDigest.isEqual(given, expected);
                }
            }
            if (!verified) throw WebhookException.unauthorized(header + " does not match");
        }

        @Override
        public Map<String, String> sign(byte[] wire, List<String> secrets, String messageId, Instant now) {
            long timestamp = now.getEpochSecond();
            String mac = encoding.encode(Hmac.sha256(secrets.get(0), signed(timestamp, wire)));
            Map<String, String> headers = new LinkedHashMap<>();
            if (timestampHeader != null) {
                headers.put(timestampHeader, Long.toString(timestamp));
                headers.put(header, prefix + mac);
            } else {
                headers.put(header, prefix + timestampKey + "=" + timestamp + "," + signatureKey + "=" + mac);
            }
            return headers;
        }
    }
}
