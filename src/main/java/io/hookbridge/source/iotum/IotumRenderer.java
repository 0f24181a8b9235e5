package io.hookbridge.source.iotum;

import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.delivery.VendorRenderer;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.VendorDefinition;

/**
 * {@code format: iotum}: iotum Callbridge / FreeConference webhooks (shared/seeds/001),
 * {@code {event, payload, timestamp}} with {@code payload} a JSON <em>string</em> (the definition's
 * {@code decode} pointer) and {@code x-signing-token: <secret>}. The meeting (canonical subject) is
 * {@code conference_id}; ids that are decimal integers are sent as numbers, as iotum does. The payload holds
 * the documented fields of each event (null where HookBridge does not know them) and the origin as
 * {@code hookbridge}.
 */
public final class IotumRenderer extends VendorRenderer {

    public static final String ID = "iotum";

    private static final Set<String> PARTICIPANT_EVENTS = Set.of("enter_conference", "leave_conference");

    public IotumRenderer() {
        super(ID);
    }

    public IotumRenderer(VendorDefinition definition) {
        super(definition);
    }

    @Override
    protected ObjectNode renderBody(CanonicalEvent event, VendorEvent name) {
        ObjectNode payload = object();
        payload.set("host_id", numericId(text(event, "hostId")));
        payload.set("company_id", numericId(text(event, "companyId")));
        payload.set("conference_id", numericId(event.subject()));
        if (PARTICIPANT_EVENTS.contains(name.event())) {
            payload.set("participant_id", numericId(text(event, "participant.id")));
            payload.set("participant_role", string(text(event, "participant.role")));
            if (name.event().equals("enter_conference")) {
                payload.set("meeting_url", string(null));
            } else {
                payload.set("reason_for_leaving", string(text(event, "participant.reason")));
            }
        }
        if (name.event().equals("recording_ready")) {
            payload.set("recording_id", numericId(text(event, "recording.id")));
            payload.set("download_link", string(text(event, "recording.url")));
        }
        payload.set(ORIGIN_FIELD, origin(event));

        ObjectNode body = object();
        body.put("event", name.event());
        body.set("payload", payload); // sent as a string: the definition decodes /payload
        body.put("timestamp", isoTime(event.time()));
        return body;
    }
}
