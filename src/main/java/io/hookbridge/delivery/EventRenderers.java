package io.hookbridge.delivery;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.VendorCatalog;
import io.hookbridge.vendor.outbound.OutboundRequest;
import io.hookbridge.vendor.outbound.TemplateFormat;

/**
 * The renderers of every subscription {@code format}, looked up by name: cloudevents, and every vendor of the
 * running catalog with an outbound section. A vendor format reads the catalog's current definition at each
 * render, so an edited vendor file applies to subscriptions already running.
 */
public final class EventRenderers {

    /** The format a subscription uses when it names none. */
    public static final String DEFAULT_FORMAT = CloudEventsRenderer.FORMAT;

    private static final CloudEventsRenderer CLOUD_EVENTS = new CloudEventsRenderer();

    private EventRenderers() { }

    /** @throws IllegalArgumentException for an unknown format, listing the known ones */
    public static EventRenderer forFormat(String format) {
        if (CloudEventsRenderer.FORMAT.equals(format)) return CLOUD_EVENTS;
        if (format == null || !VendorCatalog.current().formats().containsKey(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "' (known: " + String.join(", ", formats()) + ")");
        }
        return new VendorFormat(format);
    }

    /** Every known format, cloudevents first, then the vendors. */
    public static Set<String> formats() {
        Set<String> formats = new LinkedHashSet<>();
        formats.add(CloudEventsRenderer.FORMAT);
        formats.addAll(VendorCatalog.current().formats().keySet());
        return formats;
    }

    /** A vendor's format as the catalog defines it at the moment of each call. */
    private record VendorFormat(String format) implements EventRenderer {

        private TemplateFormat definition() {
            TemplateFormat current = VendorCatalog.current().formats().get(format);
            if (current == null) {
                throw new IllegalStateException("format '" + format + "' is no longer defined (its vendor file was removed)");
            }
            return current;
        }

        @Override
        public Optional<OutboundRequest> render(CanonicalEvent event, List<String> secrets, Instant now) {
            return definition().render(event, secrets, now);
        }

        @Override
        public boolean expresses(String type, String sourceId) {
            TemplateFormat current = VendorCatalog.current().formats().get(format);
            // a removed format renders nothing but an error, which the attempt log should show: keep the event
            return current == null || current.expresses(type, sourceId);
        }
    }
}
