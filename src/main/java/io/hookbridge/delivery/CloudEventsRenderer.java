package io.hookbridge.delivery;

import io.hookbridge.vendor.auth.StandardWebhooksSigner;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.outbound.OutboundRequest;

/**
 * {@code format: cloudevents}: the canonical event as a structured-mode CloudEvent, signed per Standard
 * Webhooks with every active secret. {@code webhook-id} is the event id, so it is the same on every attempt.
 * Every event renders; nothing is skipped.
 */
public final class CloudEventsRenderer implements EventRenderer {

    public static final String FORMAT = "cloudevents";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Optional<OutboundRequest> render(CanonicalEvent event, List<String> secrets, Instant now) {
        return Optional.of(signed(event.id(), event.toJsonBytes(), secrets, now));
    }

    /** The canonical event exactly as stored (no parse, no re-serialization), signed. */
    public static OutboundRequest signed(String eventId, byte[] canonicalJson, List<String> secrets, Instant now) {
        return new OutboundRequest(canonicalJson, CONTENT_TYPE, StandardWebhooksSigner.headers(secrets, eventId, now, canonicalJson));
    }
}
