package io.hookbridge.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.vendor.outbound.OutboundRequest;
import io.hookbridge.event.EventJson;

/**
 * The {@code webhookRenderer} bean of the {@code webhook-subscription} template: turns the canonical event in
 * the body into the HTTP request the subscription's format posts (body, Content-Type, signature headers), and
 * marks events that format has no name for as skipped.
 */
@Component("webhookRenderer")
public class WebhookRenderer {

    @SuppressWarnings("unchecked")
    public void render(Exchange exchange) throws Exception {
        String format = exchange.getProperty(SubscriptionConsumer.FORMAT, "cloudevents", String.class);
        List<String> secrets = exchange.getProperty(SubscriptionConsumer.SECRETS, List.of(), List.class);
        Message message = exchange.getMessage();
        String json = message.getBody(String.class);
        String eventId = exchange.getProperty(SubscriptionConsumer.EVENT_ID, String.class);
        Optional<OutboundRequest> request = CloudEventsRenderer.FORMAT.equals(format) && eventId != null
                ? Optional.of(CloudEventsRenderer.signed(eventId, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), secrets, Instant.now()))
                : EventRenderers.forFormat(format).render(CanonicalEvent.fromJson(EventJson.mapper().readTree(json)), secrets, Instant.now());
        message.removeHeaders("*");
        if (request.isEmpty()) {
            exchange.setProperty(SubscriptionConsumer.SKIPPED, true);
            message.setBody(null);
            return;
        }
        OutboundRequest outbound = request.get();
        message.setBody(outbound.body());
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, outbound.contentType());
        outbound.headers().forEach(message::setHeader);
    }
}
