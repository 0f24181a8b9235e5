package io.hookbridge.delivery;

import java.util.Map;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code hookbridge-subscription:<name>}: consumes a subscription's durable queue
 * ({@code Consumer.<name>.VirtualTopic.hookbridge.events}) and hands each matching event to the route, one
 * attempt at a time, keeping each subject's events in order while other subjects go ahead; failed attempts
 * are retried on a timer (no consumer thread sleeps), and exhausted ones parked on {@code DLQ.hookbridge.<name>}.
 */
public class SubscriptionComponent extends DefaultComponent {

    public static final String SCHEME = "hookbridge-subscription";

    private final ActiveMQConnectionFactory connectionFactory;
    private final DeliveryListener listener;
    private final PausedSubscriptions paused;
    private final int concurrency;
    private final int maxHeld;

    public SubscriptionComponent(ActiveMQConnectionFactory connectionFactory, DeliveryListener listener,
                                 PausedSubscriptions paused, int concurrency, int maxHeld) {
        this.connectionFactory = connectionFactory;
        this.listener = listener;
        this.paused = paused;
        this.concurrency = concurrency;
        this.maxHeld = maxHeld;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SubscriptionEndpoint endpoint = new SubscriptionEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    ActiveMQConnectionFactory connectionFactory() { return connectionFactory; }

    DeliveryListener listener() { return listener; }

    PausedSubscriptions paused() { return paused; }

    int concurrency() { return concurrency; }

    int maxHeld() { return maxHeld; }
}
