package io.hookbridge.ingest;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * Closes ingest the moment shutdown begins (SIGTERM): from then on webhooks are answered 503 with Retry-After,
 * while those already being stored finish and get their 202. Never a 202 for an event that is then lost.
 */
@Component
public class ShutdownGate implements ApplicationListener<ContextClosedEvent> {

    private volatile boolean closed;

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
