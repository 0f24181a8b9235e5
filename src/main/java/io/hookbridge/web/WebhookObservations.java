package io.hookbridge.web;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * No {@code http.server.requests} observation for webhooks: it was a tenth of ingest's CPU, and every webhook is
 * already counted by outcome in {@code hookbridge_events_received_total} / {@code _rejected_total}. The admin API
 * and actuator keep theirs.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookObservations {

    @Bean
    ObservationPredicate skipWebhookRequestObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier() != null && request.getCarrier().getRequestURI().startsWith("/webhooks/"));
    }
}
