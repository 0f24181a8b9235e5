package io.hookbridge.vendor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A vendor described as data ({@code io/hookbridge/source/<id>/source.yaml}): how it authenticates, which
 * shapes its bodies come in, where event name, id, subject and time are, and its table of event names to
 * canonical types. One engine ({@link SourceNormalizer}) interprets every definition.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class VendorDefinition {

    /** Event ids: the hash of {@code <source>:} and the raw body, unless a JSON pointer is given. */
    public static final String BODY_SHA256 = "body-sha256";

    public String id;
    public String name;
    public Auth auth = new Auth();
    /** Alternative body shapes, tried in order; the first whose {@code when} pointer is present applies. */
    public List<Shape> shapes = new ArrayList<>();
    /** Pointers to fields that carry JSON as a string; they are parsed in place before anything else is read. */
    public List<String> decode = new ArrayList<>();
    /** {@value #BODY_SHA256} or a JSON pointer to the vendor's own idempotency key. */
    public String eventId = BODY_SHA256;
    /** Pointers tried in order for the subject (meeting, conference, session, bot, booking). */
    public List<String> subject = new ArrayList<>();
    /** Pointers tried in order for the event time (ISO 8601 text, or epoch seconds / milliseconds). */
    public List<String> time = new ArrayList<>();
    /** Normalized fields copied into the event's data: dotted target path → pointers tried in order. */
    public Map<String, List<String>> fields = new LinkedHashMap<>();
    /**
     * Vendor event name → canonical type, or → a map from the shape's qualifier value to canonical type
     * (with an optional "*" entry for any other qualifier).
     */
    public Map<String, Object> types = new LinkedHashMap<>();

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Auth {
        /** bearer | token | hmac-sha256-hex | attendee. */
        public String scheme;
        public String header;
        /** Text the header value starts with before the credential ("sha256="). */
        public String prefix = "";
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Shape {
        /** This shape applies when the pointer is present in the body; null: always. */
        public String when;
        /** Pointer → kind: string, object, array, number, scalar (string or number), any (present, not null). */
        public Map<String, String> required = new LinkedHashMap<>();
        /** Pointer to the vendor's event name, or {@code =literal} for shapes that carry none. */
        public String event;
        /** Pointer to a second name that refines the event (Attendee's data.event_type). */
        public String qualifier;
    }
}
