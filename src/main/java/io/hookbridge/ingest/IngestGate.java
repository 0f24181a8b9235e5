package io.hookbridge.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.hookbridge.delivery.RoutesDirectory;

/**
 * Ingest is open only while the whole gateway is: from the moment every route has started (so every
 * subscription's durable queue exists before an event is published for it) until shutdown begins (SIGTERM).
 * Outside that window webhooks are answered 503 with Retry-After; never a 202 for an event nobody keeps.
 */
@Component
public class IngestGate {

    private static final Logger log = LoggerFactory.getLogger(IngestGate.class);

    private final RoutesDirectory routes;
    private volatile boolean open;
    private volatile boolean closed;

    public IngestGate(RoutesDirectory routes) {
        this.routes = routes;
    }

    @EventListener({ApplicationReadyEvent.class, ContextClosedEvent.class})
    public void onLifecycle(ApplicationEvent event) {
        if (event instanceof ContextClosedEvent) {
            closed = true;
            return;
        }
        open = true;
        if (routes.subscriptionNames().isEmpty()) {
            log.warn("no webhook-subscription routes in {}: accepted events are kept only for JMS consumers of "
                    + "Consumer.<name>.VirtualTopic.hookbridge.events queues that already exist", routes.directory());
        }
    }

    /** Null while webhooks may be taken, else why not. */
    public String refusal() {
        if (closed) return "HookBridge is stopping; send it again shortly";
        if (!open) return "HookBridge is starting; send it again shortly";
        return null;
    }
}
