package io.hookbridge.event;

import java.time.Instant;

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

    public ObjectNode toJsonNode() {
        ObjectNode node = data.objectNode();
        node.put("specversion", SPEC_VERSION);
        node.put("id", id);
        node.put("source", source());
        node.put("type", type);
        if (subject != null) node.put("subject", subject);
        node.put("time", time.toString());
        node.put("datacontenttype", "application/json");
        node.put("vendorevent", vendorEvent);
        node.set("data", data);
        return node;
    }

    public String toJson() {
        return EventJson.write(toJsonNode());
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
            Instant fast = timeText == null ? null : io.hookbridge.source.Timestamps.fastIso(timeText);
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
