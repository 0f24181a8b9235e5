package io.hookbridge.event;

/**
 * The one error a webhook can be refused with; it maps onto the CONTRACT's JSON answers
 * ({@code {"error": code, "detail": detail}}) and never carries a stack trace to the caller.
 */
public class WebhookException extends RuntimeException {

    public enum Kind {
        UNAUTHORIZED(401, "unauthorized"),
        UNKNOWN_SOURCE(404, "unknown_source"),
        INVALID_PAYLOAD(400, "invalid_payload"),
        PAYLOAD_TOO_LARGE(413, "payload_too_large"),
        UNAVAILABLE(503, "unavailable");

        public final int status;
        public final String code;

        Kind(int status, String code) {
            this.status = status;
            this.code = code;
        }
    }

    private final Kind kind;

    public WebhookException(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    public Kind kind() { return kind; }

    public String detail() { return getMessage(); }

    public static WebhookException unauthorized(String detail) { return new WebhookException(Kind.UNAUTHORIZED, detail); }

    public static WebhookException invalid(String detail) { return new WebhookException(Kind.INVALID_PAYLOAD, detail); }
}
