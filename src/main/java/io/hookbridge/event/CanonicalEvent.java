package io.hookbridge.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one event shape HookBridge stores and delivers: a CloudEvents 1.0 structured-mode JSON event.
 *
 * @param id          stable event id (a vendor idempotency key, or a hash of source and raw body)
 * @param sourceId    HookBridge's source id: pencil, iotum, recordings, attendee, spaceos, …
 * @param type        canonical type ({@code participant.joined}) or {@code vendor.<source>.<event>}
 * @param subject     the meeting, conference, session, bot or booking the event is about; may be null
 * @param time        the vendor's timestamp, or the receive time where the vendor sends none
 * @param vendorEvent the vendor's own event name
 * @param data        {@code sessionId}, normalized fields, and {@code vendor: {source, event, payload}}
 */
public record CanonicalEvent(String id, String sourceId, String type, String subject, Instant time,
                             String vendorEvent, ObjectNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE_PREFIX = "/sources/";

    public String source() {
        return SOURCE_PREFIX + sourceId;
    }

    /** The vendor's original payload (with a stringified payload already parsed). */
    public JsonNode vendorPayload() {
        return data.path("vendor").path("payload");
    }

    public String toJson() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The structured-mode CloudEvent as UTF-8 JSON, what the broker stores: written straight to bytes, with no tree
     * for the envelope and no String in between. Jackson writes control characters and characters beyond the BMP as
     * JSON escapes, so the bytes hold no NUL and no 4-byte sequence.
     */
    public byte[] toJsonBytes() {
        ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
        try (JsonGenerator json = EventJson.mapper().createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("specversion", SPEC_VERSION);
            json.writeStringField("id", id);
            json.writeStringField("source", source());
            json.writeStringField("type", type);
            if (subject != null) json.writeStringField("subject", subject);
            json.writeStringField("time", Timestamps.format(time));
            json.writeStringField("datacontenttype", "application/json");
            json.writeStringField("vendorevent", vendorEvent);
            json.writeFieldName("data");
            EventJson.mapper().writeTree(json, data);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("the event " + id + " could not be written as JSON", e);
        }
        return bytes.toByteArray();
    }

    /** Reads a structured-mode CloudEvent back, checking the attributes HookBridge relies on. */
    public static CanonicalEvent fromJson(JsonNode node) {
        String specversion = EventJson.text(node, "specversion");
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException("specversion must be \"1.0\", found " + describe(node.get("specversion")));
        }
        String id = requireText(node, "id");
        String source = requireText(node, "source");
        String type = requireText(node, "type");
        String sourceId = source.startsWith(SOURCE_PREFIX) ? source.substring(SOURCE_PREFIX.length()) : source;
        String subject = EventJson.text(node, "subject");
        Instant time;
        String timeText = EventJson.text(node, "time");
        try {
            Instant fast = timeText == null ? null : Timestamps.fastIso(timeText);
            time = timeText == null ? Instant.now() : fast != null ? fast : Instant.parse(timeText);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("time must be an RFC 3339 UTC timestamp, found \"" + timeText + "\"");
        }
        JsonNode data = node.get("data");
        ObjectNode dataObject;
        if (data == null || data.isNull()) {
            dataObject = EventJson.mapper().createObjectNode();
        } else if (data.isObject()) {
            dataObject = (ObjectNode) data;
        } else {
            throw new IllegalArgumentException("data must be a JSON object");
        }
        String vendorEvent = EventJson.text(node, "vendorevent");
        return new CanonicalEvent(id, sourceId, type, subject, time, vendorEvent == null ? type : vendorEvent, dataObject);
    }

    private static String requireText(JsonNode node, String field) {
        String value = EventJson.text(node, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " is required and must be a non-empty string, found " + describe(node.get(field)));
        }
        return value;
    }

    private static String describe(JsonNode value) {
        return value == null ? "nothing" : value.getNodeType().name().toLowerCase() + " " + value;
    }
}
