package io.hookbridge.source.recordings;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.delivery.VendorRenderer;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.VendorDefinition;

/**
 * {@code format: recordings}: the meeting-recording platform's webhooks (shared/seeds/002),
 * {@code {event, timestamp, data}} signed {@code X-Webhook-Signature: sha256=<hex HMAC of the raw body>}.
 * The meeting (canonical subject) is {@code data.meeting.id}; recording and transcript events also carry
 * {@code data.recording} (its real id where the event knows one, else the meeting's), so a receiver finds
 * the recording where the vendor puts it while the subject survives. transcript.ready is rendered as
 * {@code recording.transcript.ready} (the first and more specific of the two names). Ids that are decimal
 * integers are sent as numbers, as the platform does. The origin rides along as {@code data.hookbridge}.
 */
public final class RecordingsRenderer extends VendorRenderer {

    public static final String ID = "recordings";

    public RecordingsRenderer() {
        super(ID);
    }

    public RecordingsRenderer(VendorDefinition definition) {
        super(definition);
    }

    @Override
    protected ObjectNode renderBody(CanonicalEvent event, VendorEvent name) {
        ObjectNode data = object();
        ObjectNode meeting = data.putObject("meeting");
        meeting.set("id", numericId(event.subject()));
        String vendorEvent = name.event();
        if (vendorEvent.equals("meeting.started")) meeting.put("started_at", isoTime(event.time()));
        if (vendorEvent.equals("meeting.ended")) meeting.put("ended_at", isoTime(event.time()));
        if (vendorEvent.startsWith("recording.") || vendorEvent.startsWith("transcript.")) {
            ObjectNode recording = data.putObject("recording");
            String recordingId = text(event, "recording.id");
            recording.set("id", numericId(recordingId != null ? recordingId : event.subject()));
            recording.set("title", string(text(event, "recording.title")));
            switch (vendorEvent) {
                case "recording.processing.started" -> recording.put("status", "processing");
                case "recording.processing.completed" -> recording.put("status", "completed");
                default -> {
                    String transcriptId = text(event, "transcript.id");
                    if (transcriptId != null) recording.putObject("transcript").set("id", numericId(transcriptId));
                }
            }
        }
        data.set(ORIGIN_FIELD, origin(event));

        ObjectNode body = object();
        body.put("event", vendorEvent);
        body.put("timestamp", isoTime(event.time()));
        body.set("data", data);
        return body;
    }
}
