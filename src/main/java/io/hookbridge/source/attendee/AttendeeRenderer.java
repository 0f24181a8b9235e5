package io.hookbridge.source.attendee;

import io.hookbridge.vendor.attendee.AttendeeCanonicalJson;
import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.delivery.VendorRenderer;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;
import io.hookbridge.vendor.VendorDefinition;

/**
 * {@code format: attendee}: Attendee bot webhooks (shared/seeds/003), {@code {idempotency_key, bot_id,
 * bot_metadata, trigger, data}} with {@code X-Webhook-Signature: base64 HMAC-SHA256(base64-decoded secret,
 * canonical JSON)}. {@code idempotency_key} is the canonical event id (so it is stable across attempts and
 * Attendee receivers dedupe on it), {@code bot_id} the meeting (canonical subject), the trigger and
 * {@code data.event_type} the reverse of the attendee definition's table, {@code data.created_at} the event time.
 *
 * <p>The body sent is the canonical JSON itself (keys sorted, no whitespace, raw UTF-8): a correct receiver
 * re-canonicalizes it to the same bytes, and even one that wrongly HMACs the raw body accepts it.
 */
public final class AttendeeRenderer extends VendorRenderer {

    public static final String ID = "attendee";

    /** The bot states around each bot.state_change event_type HookBridge maps (as Attendee reports them). */
    private static final Map<String, String[]> STATES = Map.of(
            "joined_meeting", new String[] {"joining", "joined_not_recording"},
            "meeting_ended", new String[] {"joined_recording", "post_processing"},
            "recording_resumed", new String[] {"joined_recording_paused", "joined_recording"},
            "recording_paused", new String[] {"joined_recording", "joined_recording_paused"},
            "post_processing_completed", new String[] {"post_processing", "ended"});

    public AttendeeRenderer() {
        super(ID);
    }

    public AttendeeRenderer(VendorDefinition definition) {
        super(definition);
    }

    @Override
    protected ObjectNode renderBody(CanonicalEvent event, VendorEvent name) {
        String created = isoTime(event.time());
        long millis = epochMillis(event.time());
        ObjectNode data = object();
        switch (name.event()) {
            case "bot.state_change" -> {
                String[] states = STATES.getOrDefault(name.qualifier(), new String[2]);
                data.set("event_type", string(name.qualifier()));
                data.set("event_sub_type", string(null));
                data.putObject("event_metadata");
                data.set("old_state", string(states[0]));
                data.set("new_state", string(states[1]));
                data.put("created_at", created);
            }
            case "participant_events.join_leave" -> {
                data.put("id", event.id());
                data.set("participant_name", string(text(event, "participant.name")));
                data.set("participant_uuid", string(text(event, "participant.id")));
                data.set("participant_user_uuid", string(null));
                data.set("participant_is_host", isHost(text(event, "participant.role")));
                data.set("event_type", string(name.qualifier()));
                data.putObject("event_data");
                data.put("timestamp_ms", millis);
                data.put("created_at", created);
            }
            case "transcript.update" -> {
                data.set("speaker_name", string(text(event, "speaker.name", "participant.name")));
                data.set("speaker_uuid", string(text(event, "speaker.id", "participant.id")));
                data.set("speaker_user_uuid", string(null));
                data.set("speaker_is_host", string(null));
                data.put("timestamp_ms", millis);
                data.set("duration_ms", string(null));
                ObjectNode transcription = data.putObject("transcription");
                transcription.set("transcript", string(text(event, "text")));
                transcription.set("words", string(null));
                data.put("created_at", created);
            }
            case "chat_messages.update" -> {
                data.put("id", event.id());
                data.put("to", "everyone");
                data.set("text", string(text(event, "text")));
                data.put("timestamp", event.time().getEpochSecond());
                data.set("sender_name", string(text(event, "participant.name", "speaker.name")));
                data.set("sender_uuid", string(text(event, "participant.id", "speaker.id")));
                data.put("timestamp_ms", millis);
                data.putObject("additional_data");
                data.set("sender_user_uuid", string(null));
                data.put("created_at", created);
            }
            default -> {
                if (name.qualifier() != null) data.put("event_type", name.qualifier());
                data.put("created_at", created);
            }
        }
        data.set(ORIGIN_FIELD, origin(event));

        ObjectNode body = object();
        body.put("idempotency_key", event.id());
        body.set("bot_id", string(event.subject()));
        body.set("bot_metadata", string(null));
        body.put("trigger", name.event());
        body.set("data", data);
        return body;
    }

    /** Sent as its own canonical JSON, the very bytes that are signed. */
    @Override
    protected byte[] wireBody(ObjectNode body) {
        try {
            return AttendeeCanonicalJson.canonicalize(super.wireBody(body));
        } catch (IOException e) {
            throw new IllegalStateException("an Attendee body could not be canonicalized: " + e.getMessage(), e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode isHost(String role) {
        if (role == null) return EventJson.mapper().getNodeFactory().nullNode();
        return EventJson.mapper().getNodeFactory().booleanNode(role.equals("organizer") || role.equals("host"));
    }
}
