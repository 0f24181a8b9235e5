package io.hookbridge.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.outbound.OutboundRequest;

/**
 * Renders a canonical event into the HTTP request one subscription {@code format} posts: the canonical
 * CloudEvent itself, or a vendor's own webhook body and authentication (CONTRACT section 4). Stateless and
 * thread-safe.
 */
public interface EventRenderer {

    /** The subscription {@code format} value this renders: cloudevents | pencil | iotum | recordings | attendee | spaceos. */
    String format();

    /**
     * @param secrets the subscription's active secrets (may be empty: then send unauthenticated/unsigned); first one is the primary
     * @param now     the send time, for formats that sign it
     * @return the HTTP request to POST, or Optional.empty() if the target vendor has no name for this event (skipped, not failed)
     * @throws IllegalArgumentException if a secret cannot be used by this format (e.g. an Attendee secret that is not base64)
     */
    Optional<OutboundRequest> render(CanonicalEvent event, List<String> secrets, Instant now);

    /**
     * Whether this format can have something to send for an event of this canonical type from this source;
     * false only where {@link #render} would certainly be empty, so a subscription skips the event without
     * rendering it.
     */
    default boolean expresses(String type, String sourceId) {
        return true;
    }
}
