package io.hookbridge.vendor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One vendor described as data ({@code vendors/<id>.yaml}), both directions: how it authenticates (checked on
 * the way in, signed on the way out), how its webhooks are read ({@link Inbound}), its table of event names to
 * canonical types, and how an event is written in its shape ({@link Outbound}). One engine reads every
 * definition ({@link io.hookbridge.vendor.inbound.WebhookSource}), one template engine writes them
 * ({@link io.hookbridge.vendor.outbound.TemplateFormat}).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class VendorDefinition {

    /** Event ids: the hash of {@code <source>:} and the raw body, unless an expression is given. */
    public static final String BODY_SHA256 = "body-sha256";

    public String id;
    public String name;
    public Auth auth = new Auth();
    public Inbound inbound = new Inbound();
    /**
     * Vendor event name → canonical type, or → a map from the shape's qualifier value to canonical type
     * (with an optional "*" entry for any other qualifier). Read backwards to name outbound events.
     */
    public Map<String, Object> types = new LinkedHashMap<>();
    /** Absent: HookBridge receives from this vendor but cannot be a subscription {@code format} for it. */
    public Outbound outbound;

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Auth {
        /** bearer | token | hmac-sha256 | standard-webhooks | timestamped-hmac | attendee (see AuthSchemes). */
        public String scheme;
        /** The header carrying the credential (not used by standard-webhooks, whose headers are fixed). */
        public String header;
        /** Text the header value starts with before the credential ("sha256="). */
        public String prefix = "";
        /** hmac-sha256 and timestamped-hmac: how the MAC is written, hex or base64. */
        public String encoding = "hex";
        /** timestamped-hmac: the key of the timestamp in the header's {@code key=value,...} list. */
        public String timestampKey = "t";
        /** timestamped-hmac: the key of the signature(s) in the header's list. */
        public String signatureKey = "v1";
        /** timestamped-hmac: the timestamp in a header of its own instead of in the list. */
        public String timestampHeader;
        /** timestamped-hmac: what is signed; {timestamp} and {body} are replaced. */
        public String signedPayload = "{timestamp}.{body}";
        /** standard-webhooks and timestamped-hmac: how far (seconds) a timestamp may be from now. */
        public Integer tolerance;
        /**
         * Secret used when {@code hookbridge.sources.<id>.secret} is not set; {@code ${ENV_VAR}} placeholders are
         * resolved from the environment, so a file need not hold the secret itself.
         */
        public String secret;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Inbound {
        /** Alternative body shapes, tried in order; the first whose {@code when} expression is present applies. */
        public List<Shape> shapes = new ArrayList<>();
        /** Fields that carry JSON as a string; parsed in place before anything else is read (and written back as strings outbound). */
        public List<String> decode = new ArrayList<>();
        /** {@value #BODY_SHA256} or an expression for the vendor's own idempotency key. */
        public String eventId = BODY_SHA256;
        /** Expressions tried in order for the subject (meeting, conference, session, bot, booking). */
        public List<String> subject = new ArrayList<>();
        /** Expressions tried in order for the event time (ISO 8601 text, or epoch seconds / milliseconds). */
        public List<String> time = new ArrayList<>();
        /** Normalized fields copied into the event's data: dotted target path → expressions tried in order. */
        public Map<String, List<String>> fields = new LinkedHashMap<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Shape {
        /** This shape applies when the expression finds a value in the body; null: always. */
        public String when;
        /** Expression → kind: string, object, array, number, scalar (string or number), any (present, not null). */
        public Map<String, String> required = new LinkedHashMap<>();
        /** Expression for the vendor's event name, or {@code =literal} for shapes that carry none. */
        public String event;
        /** Expression for a second name that refines the event (Attendee's data.event_type). */
        public String qualifier;
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Outbound {
        /** Named lookup tables for the {@code lookup(name)} filter. */
        public Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        /** Body templates, the first whose {@code events} names the outbound event applies; one without {@code events} applies to any. */
        public List<Body> bodies = new ArrayList<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Body {
        /** The vendor event names this template writes ({@code name} or {@code name/qualifier}); empty: any. */
        public List<String> events = new ArrayList<>();
        /** The JSON body; a string {@code ${...}} is an expression over the canonical event (see BodyTemplate). */
        public JsonNode body;
    }
}
