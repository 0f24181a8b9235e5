package io.hookbridge.admin;

import java.time.Instant;
import java.util.List;

import jakarta.jms.JMSException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.hookbridge.delivery.DeliveryMetrics;
import io.hookbridge.delivery.PausedSubscriptions;
import io.hookbridge.delivery.RoutesDirectory;
import io.hookbridge.delivery.SubscriptionBacklog;
import io.hookbridge.delivery.SubscriptionEndpoint;

/**
 * How each subscription is keeping up: the age of the oldest event on its queue not yet acknowledged (its lag),
 * the events it holds and how many of them wait behind a retry, its attempts' success rate, and whether an
 * operator paused it. In {@code GET /admin/subscriptions} and as gauges ({@code hookbridge_subscription_lag_seconds},
 * {@code hookbridge_subscription_held_behind_retries}, {@code hookbridge_subscription_success_ratio},
 * {@code hookbridge_subscription_paused}).
 */
@Component
public class SubscriptionHealth {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionHealth.class);

    /** How long a request waits for a subscription's session thread to count what it holds. */
    private static final long HELD_TIMEOUT_MILLIS = 1000;

    /**
     * @param oldestUnacknowledgedAt when the oldest event on the queue (waiting or held) was put on the broker
     * @param lagSeconds             its age now; 0 for an empty queue
     * @param held                   events held by the running subscription; null when it is not running
     * @param heldBehindRetries      of those, events waiting on a retry's backoff; null when it is not running
     * @param successRate            successful attempts over all attempts since start; null before the first
     */
    public record Health(boolean paused, Instant oldestUnacknowledgedAt, double lagSeconds, Integer held,
                         Integer heldBehindRetries, Double successRate) { }

    private final CamelContext camel;
    private final BrokerQueues queues;
    private final DeliveryMetrics metrics;
    private final RoutesDirectory routes;
    private final MeterRegistry meters;
    private final PausedSubscriptions paused;

    public SubscriptionHealth(CamelContext camel, BrokerQueues queues, DeliveryMetrics metrics, RoutesDirectory routes,
                              MeterRegistry meters, PausedSubscriptions paused) {
        this.paused = paused;
        this.camel = camel;
        this.queues = queues;
        this.metrics = metrics;
        this.routes = routes;
        this.meters = meters;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void registerGauges() {
        for (String name : paused.all()) {
            // its consumer started without opening its queue; suspended, the route says so
            Route route = route(name);
            try {
                if (route != null) camel.getRouteController().suspendRoute(route.getRouteId());
            } catch (Exception e) {
                log.warn("subscription {} is paused, but its route could not be suspended: {}", name, e.toString());
            }
        }
        for (String name : routes.subscriptionNames()) {
            Gauge.builder("hookbridge.subscription.lag", this, h -> h.lagOrNaN(name)).tag("subscription", name)
                    .baseUnit("seconds").description("Age of the oldest event on the subscription's queue not yet acknowledged")
                    .register(meters);
            Gauge.builder("hookbridge.subscription.held.behind.retries", this, h -> h.behindRetriesOrNaN(name))
                    .tag("subscription", name).description("Events held by the subscription waiting on a retry's backoff")
                    .register(meters);
            Gauge.builder("hookbridge.subscription.success.ratio", this, h -> {
                Double rate = h.metrics.successRate(name);
                return rate == null ? Double.NaN : rate;
            }).tag("subscription", name).description("Successful delivery attempts over all attempts since start").register(meters);
            Gauge.builder("hookbridge.subscription.paused", this, h -> h.isPaused(name) ? 1 : 0).tag("subscription", name)
                    .description("1 while an operator has paused the subscription").register(meters);
        }
    }

    public Health of(String name) throws JMSException {
        List<Long> oldest = queues.browse(String.format(SubscriptionEndpoint.EVENTS_QUEUE_FORMAT, name), 1,
                m -> m.getJMSTimestamp());
        Instant at = oldest.isEmpty() || oldest.get(0) <= 0 ? null : Instant.ofEpochMilli(oldest.get(0));
        double lag = at == null ? 0 : Math.max(0, System.currentTimeMillis() - at.toEpochMilli()) / 1000.0;
        SubscriptionBacklog.Held held = held(name);
        return new Health(isPaused(name), at, lag, held == null ? null : held.held(),
                held == null ? null : held.behindRetries(), metrics.successRate(name));
    }

    public boolean isPaused(String name) {
        return paused.isPaused(name);
    }

    /** Recorded on disk: a paused subscription stays paused across a restart. */
    void markPaused(String name, boolean isPaused) {
        paused.set(name, isPaused);
    }

    /** The subscription's route, or null. */
    Route route(String name) {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof SubscriptionEndpoint endpoint && endpoint.name().equals(name)) return route;
        }
        return null;
    }

    SubscriptionEndpoint endpoint(String name) {
        Route route = route(name);
        return route == null ? null : (SubscriptionEndpoint) route.getEndpoint();
    }

    private SubscriptionBacklog.Held held(String name) {
        Route route = route(name);
        if (route == null || camel.getRouteController().getRouteStatus(route.getRouteId()) != ServiceStatus.Started) return null;
        return route.getConsumer() instanceof SubscriptionBacklog backlog ? backlog.held(HELD_TIMEOUT_MILLIS) : null;
    }

    private double lagOrNaN(String name) {
        try {
            return of(name).lagSeconds();
        } catch (JMSException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private double behindRetriesOrNaN(String name) {
        SubscriptionBacklog.Held held = held(name);
        return held == null ? Double.NaN : held.behindRetries();
    }
}
