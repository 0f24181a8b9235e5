package io.hookbridge.vendor.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.hookbridge.event.WebhookException;

/** A scheme whose credential is one header's value after an optional prefix (bearer, token, HMAC, Attendee). */
public abstract class HeaderCredentialScheme implements AuthScheme {

    protected final String header;
    protected final String prefix;

    protected HeaderCredentialScheme(String header, String prefix) {
        this.header = header;
        this.prefix = prefix == null ? "" : prefix;
    }

    /** Whether the credential (header value after the prefix) is right for this body and secret; never throws for a mismatch. */
    protected abstract boolean matches(byte[] body, String credential, String secret);

    /** The credential for this wire body, written after the prefix. */
    protected abstract String credential(byte[] wire, String secret);

    @Override
    public final void verify(byte[] body, Function<String, String> headers, List<String> secrets, Instant now) {
        String value = headers.apply(header);
        if (value == null || value.isBlank()) {
            throw WebhookException.unauthorized("missing " + header + " header");
        }
        if (!prefix.isEmpty()) {
            if (!value.startsWith(prefix)) {
                throw WebhookException.unauthorized(header + " must start with '" + prefix + "'");
            }
            value = value.substring(prefix.length());
        }
        boolean verified = false;
        for (String secret : secrets) {
            verified |= matches(body, value, secret);
        }
        if (!verified) {
            throw WebhookException.unauthorized(header + " does not match");
        }
    }

    @Override
    public final Map<String, String> sign(byte[] wire, List<String> secrets, String messageId, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(header, prefix + credential(wire, secrets.get(0)));
        return headers;
    }
}
