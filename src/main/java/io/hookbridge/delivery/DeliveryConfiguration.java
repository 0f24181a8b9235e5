package io.hookbridge.delivery;

import java.nio.file.Path;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hookbridge.config.HookBridgeProperties;

/** Registers the {@code hookbridge-subscription} Camel component the {@code webhook-subscription} template consumes from. */
@Configuration(proxyBeanMethods = false)
public class DeliveryConfiguration {

    @Bean(SubscriptionComponent.SCHEME)
    SubscriptionComponent subscriptionComponent(ActiveMQConnectionFactory activeMqConnectionFactory,
                                                DeliveryMetrics deliveryMetrics, PausedSubscriptions pausedSubscriptions,
                                                @Value("${hookbridge.delivery.concurrency:16}") int concurrency,
                                                @Value("${hookbridge.delivery.max-held:1000}") int maxHeld) {
        return new SubscriptionComponent(activeMqConnectionFactory, deliveryMetrics, pausedSubscriptions, concurrency, maxHeld);
    }

    @Bean
    PausedSubscriptions pausedSubscriptions(HookBridgeProperties properties) {
        return new PausedSubscriptions(Path.of(properties.getDataDir(), "subscriptions", "paused").toAbsolutePath());
    }
}
