package io.hookbridge.vendor.auth;

/**
 * One way a vendor authenticates its webhooks. A request becomes "verified" only by passing through one.
 * Implementations compare in constant time and answer false (never throw) for a value that does not match.
 */
public interface Verifier {

    /**
     * @param body        the raw request body, exactly as received
     * @param headerValue the value of the vendor's authentication header (never null)
     * @param secret      one configured secret
     */
    boolean verify(byte[] body, String headerValue, String secret);
}
