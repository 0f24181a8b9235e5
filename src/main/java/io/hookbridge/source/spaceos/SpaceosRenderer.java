package io.hookbridge.source.spaceos;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookbridge.delivery.VendorRenderer;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.VendorDefinition;

/**
 * {@code format: spaceos}: SpaceOS booking webhooks (shared/seeds/004), {@code {event, timestamp, data}}
 * signed {@code X-Webhook-Signature: <hex HMAC of the raw body>}. The meeting (canonical subject) is
 * {@code data.booking_id}; {@code start_time}/{@code end_time} are the booking's when known, else the
 * event time for booking.start/booking.end. The origin rides along as {@code data.hookbridge}.
 */
public final class SpaceosRenderer extends VendorRenderer {

    public static final String ID = "spaceos";

    public SpaceosRenderer() {
        super(ID);
    }

    public SpaceosRenderer(VendorDefinition definition) {
        super(definition);
    }

    @Override
    protected ObjectNode renderBody(CanonicalEvent event, VendorEvent name) {
        String start = text(event, "booking.start");
        String end = text(event, "booking.end");
        if (start == null && name.event().equals("booking.start")) start = isoTime(event.time());
        if (end == null && name.event().equals("booking.end")) end = isoTime(event.time());

        ObjectNode data = object();
        data.set("booking_id", string(event.subject()));
        data.set("meeting_space_id", string(text(event, "space.id", "spaceId")));
        data.set("organization_id", string(text(event, "organization.id")));
        data.set("start_time", string(start));
        data.set("end_time", string(end));
        data.set(ORIGIN_FIELD, origin(event));

        ObjectNode body = object();
        body.put("event", name.event());
        body.put("timestamp", isoTime(event.time()));
        body.set("data", data);
        return body;
    }
}
