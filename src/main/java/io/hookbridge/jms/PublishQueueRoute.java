package io.hookbridge.jms;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The JMS door: {@value #QUEUE}, consumed in a local JMS transaction per message. What each message becomes is
 * decided by {@link PublishedMessageProcessor}: accepted (committed), parked on {@value #DEAD_LETTER_QUEUE} in the
 * same transaction, or rolled back for the broker to redeliver when the event could not be stored yet.
 */
@Component
public class PublishQueueRoute extends RouteBuilder {

    public static final String QUEUE = "hookbridge.publish";
    public static final String DEAD_LETTER_QUEUE = "DLQ." + QUEUE;
    public static final String ROUTE_ID = "hookbridge-publish";

    private final PublishedMessageProcessor processor;
    private final int consumers;

    public PublishQueueRoute(PublishedMessageProcessor processor,
                             @Value("${hookbridge.jms.publish-consumers:4}") int consumers) {
        this.processor = processor;
        this.consumers = Math.max(1, consumers);
    }

    @Override
    public void configure() {
        // PublishedMessageProcessor logs each rollback itself, so the listener's own report is kept at DEBUG.
        // transacted without a transaction manager: Spring's listener container commits the session after the
        // route returns and rolls it back when it throws; CACHE_CONSUMER keeps the session (and the client-side
        // redelivery delay) between messages
        from("activemq:queue:" + QUEUE
                + "?transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                + "&concurrentConsumers=" + consumers + "&maxConcurrentConsumers=" + consumers
                + "&errorHandlerLoggingLevel=DEBUG&errorHandlerLogStackTrace=false&disableReplyTo=true")
                .routeId(ROUTE_ID)
                .description("JMS publishers: canonical CloudEvents, or vendor bodies with hookbridge_source, ingested like webhooks")
                .errorHandler(noErrorHandler())
                .process(processor);
    }
}
