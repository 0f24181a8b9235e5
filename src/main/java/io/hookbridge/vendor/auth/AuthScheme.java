package io.hookbridge.vendor.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One way a vendor authenticates its webhooks, both directions: {@link #verify} is the gate every received
 * webhook passes, {@link #sign} authenticates what HookBridge sends in that vendor's format. Thread-safe.
 */
public interface AuthScheme {

    /**
     * @param body    the raw request body, exactly as received
     * @param header  looks a request header up by name, case-insensitively
     * @param secrets the configured secrets (at least one); any one that verifies is enough
     * @throws io.hookbridge.event.WebhookException (unauthorized) saying what is missing or does not match
     */
    void verify(byte[] body, Function<String, String> header, List<String> secrets, Instant now);

    /**
     * The headers that authenticate {@code wire}. Vendor formats sign with the primary (first) secret; a scheme
     * whose receivers accept several signatures (Standard Webhooks) signs with each.
     *
     * @param secrets   at least one
     * @param messageId the event id, for schemes that sign it
     * @throws IllegalArgumentException if a secret cannot be used by this scheme
     */
    Map<String, String> sign(byte[] wire, List<String> secrets, String messageId, Instant now);

    /** The bytes to send for a rendered body; a scheme that signs a canonical form sends that form. */
    default byte[] wireBody(byte[] body) {
        return body;
    }
}
