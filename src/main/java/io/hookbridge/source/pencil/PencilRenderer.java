package io.hookbridge.source.pencil;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.delivery.VendorRenderer;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.VendorDefinition;

/**
 * {@code format: pencil}: Pencil Spaces webhooks (shared/seeds/000), {@code Authorization: Bearer <secret>}.
 * Event names come from the pencil source definition; what it cannot say is here: each event's {@code _type}
 * and payload fields. The meeting (canonical subject) is {@code sessionId}, or {@code eventId} for schedule
 * and attendance events; {@code timestamp} is ISO 8601; the origin rides along as {@code hookbridge}.
 */
public final class PencilRenderer extends VendorRenderer {

    public static final String ID = "pencil";
    /** The vendor event of attendance updates: they carry no {@code _type} and are recognised by {@code currentStatus}. */
    static final String ATTENDANCE = "attendance";

    /** eventType → _type. */
    static final Map<String, String> TYPE_OF = Map.ofEntries(
            Map.entry("joinSpace", "SPACE_USER"),
            Map.entry("leaveSpace", "SPACE_USER"),
            Map.entry("hideTab", "SPACE_USER"),
            Map.entry("unhideTab", "SPACE_USER"),
            Map.entry("SESSION_ENDED", "SPACE_SESSION"),
            Map.entry("RECORDING_AVAILABLE", "SPACE_RECORDING"),
            Map.entry("TRANSCRIPT_AVAILABLE", "SPACE_RECORDING"),
            Map.entry("EVENT_CREATED", "SCHEDULE"),
            Map.entry("EVENT_UPDATED", "SCHEDULE"),
            Map.entry("EVENT_DELETED", "SCHEDULE"),
            Map.entry("EVENT_CANCELLED", "SCHEDULE"));

    public PencilRenderer() {
        super(ID);
    }

    public PencilRenderer(VendorDefinition definition) {
        super(definition);
    }

    @Override
    protected ObjectNode renderBody(CanonicalEvent event, VendorEvent name) {
        if (ATTENDANCE.equals(name.event())) return attendance(event);
        String type = TYPE_OF.get(name.event());
        if (type == null) {
            throw new IllegalStateException("pencil event '" + name.event() + "' (for " + event.type() + ") has no known _type");
        }
        String subject = event.subject();
        ObjectNode body = object();
        switch (type) {
            case "SPACE_USER" -> {
                body.set("spaceId", string(spaceId(event)));
                body.set("sessionId", string(subject));
                body.put("timestamp", isoTime(event.time()));
                body.put("eventType", name.event());
                body.set("userId", string(text(event, "participant.id")));
                body.set("roomId", string(text(event, "room.id")));
                body.set("userTabId", string(null));
            }
            case "SPACE_SESSION" -> {
                body.set("spaceId", string(spaceId(event)));
                body.set("sessionId", string(subject));
                body.put("timestamp", isoTime(event.time()));
                body.put("eventType", name.event());
            }
            case "SPACE_RECORDING" -> {
                body.set("spaceId", string(spaceId(event)));
                body.set("recordingId", string(text(event, "recording.id")));
                // Pencil's own recording events name no session; bridged ones do, so the meeting stays the subject.
                body.set("sessionId", string(subject));
                body.put("timestamp", isoTime(event.time()));
                body.put("eventType", name.event());
            }
            default -> { // SCHEDULE
                body.set("eventId", string(subject));
                body.put("timestamp", isoTime(event.time()));
                body.put("eventType", name.event());
                body.set("updatedBy", string(null));
            }
        }
        body.put("_type", type);
        body.set(ORIGIN_FIELD, origin(event));
        return body;
    }

    private static ObjectNode attendance(CanonicalEvent event) {
        ObjectNode body = object();
        body.set("eventId", string(event.subject()));
        body.set("userId", string(text(event, "participant.id")));
        body.put("timestamp", isoTime(event.time()));
        body.set("updatedBy", string(null));
        String previous = text(event, "attendance.previousStatus");
        if (previous != null) body.putObject("prevStatus").put("status", previous);
        body.putObject("currentStatus").set("status", string(text(event, "attendance.status")));
        body.set(ORIGIN_FIELD, origin(event));
        return body;
    }

    /** Pencil's space: its own spaceId, a SpaceOS meeting space, or else the meeting itself. */
    private static String spaceId(CanonicalEvent event) {
        String space = text(event, "spaceId", "space.id");
        return space != null ? space : event.subject();
    }
}
