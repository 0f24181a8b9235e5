package io.hookbridge.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.broker.EventMessages;
import io.hookbridge.broker.EventText;

/**
 * Feeds the event index from its own queue on the events' virtual topic ({@value #QUEUE}), off the ingest path:
 * one thread takes what has arrived (up to {@code hookbridge.index.batch} events, gathering for at most
 * {@value #GATHER_MILLIS} ms), writes it in one transaction, then acknowledges it. A crash between the two gives the
 * batch again, which the index takes by id without duplicates. The name is not a valid subscription name
 * (subscriptions are [a-z0-9-]+), so no subscription can share the queue.
 */
public class EventIndexConsumer implements SmartLifecycle {

    public static final String QUEUE = "Consumer.hookbridge_index.VirtualTopic.hookbridge.events";
    static final long GATHER_MILLIS = 200;

    private static final Logger log = LoggerFactory.getLogger(EventIndexConsumer.class);

    private final ActiveMQConnectionFactory connectionFactory;
    private final EventIndex index;
    private final int batchSize;
    private volatile boolean running;
    private Thread thread;
    private Connection connection;
    private MessageConsumer consumer;

    private final boolean enabled;
    private final ObjectProvider<EmbeddedBroker> embedded;

    public EventIndexConsumer(ActiveMQConnectionFactory connectionFactory, EventIndex index, EventIndexProperties settings,
                              ObjectProvider<EmbeddedBroker> embedded) {
        this.connectionFactory = connectionFactory;
        this.index = index;
        this.batchSize = Math.max(1, settings.getBatch());
        this.enabled = settings.isEnabled();
        this.embedded = embedded;
    }

    /** Before the web server takes webhooks, so the queue exists for the first event; stopped after it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    @Override
    public void start() {
        if (!enabled) {
            forgetQueue();
            return;
        }
        running = true;
        thread = new Thread(this::consume, "hookbridge-event-indexer");
        thread.setDaemon(true);
        try {
            // subscribe now, not when the thread gets round to it: events accepted from here on are kept for the index
            connection = open();
        } catch (JMSException | RuntimeException e) {
            log.warn("event index: not subscribed to {} yet ({}); retrying", QUEUE, e.toString());
        }
        thread.start();
    }

    /** With the index off, nothing may pile up on its queue: the embedded broker drops it; an external one is named. */
    private void forgetQueue() {
        EmbeddedBroker local = embedded.getIfAvailable();
        if (local == null) {
            log.info("event index off (hookbridge.index.enabled=false): delete the queue {} from the broker if it exists, "
                    + "or it keeps every accepted event", QUEUE);
            return;
        }
        try {
            ActiveMQQueue queue = new ActiveMQQueue(QUEUE);
            boolean exists = local.broker().getRegionBroker().getDestinationMap(queue).keySet().stream()
                    .anyMatch(d -> d.isQueue() && d.getPhysicalName().equals(QUEUE));
            if (!exists) return;
            local.broker().removeDestination(queue);
            log.info("event index off (hookbridge.index.enabled=false): its queue {} is removed", QUEUE);
        } catch (Exception e) {
            log.warn("event index off, but its queue {} could not be removed: {}", QUEUE, e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private Connection open() throws JMSException {
        Connection c = connectionFactory.createConnection();
        try {
            c.start();
            Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            consumer = session.createConsumer(session.createQueue(QUEUE + "?consumer.prefetchSize=" + (2 * batchSize)));
            return c;
        } catch (JMSException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void close() {
        try {
            if (connection != null) connection.close();
        } catch (JMSException | RuntimeException e) {
            log.debug("event index: closing its connection: {}", e.toString());
        }
        connection = null;
        consumer = null;
    }

    private void consume() {
        while (running) {
            try {
                if (connection == null) connection = open();
                List<Message> batch = new ArrayList<>();
                Message first = consumer.receive(500);
                if (first == null) continue;
                batch.add(first);
                long until = System.currentTimeMillis() + GATHER_MILLIS;
                while (batch.size() < batchSize) {
                    long left = until - System.currentTimeMillis();
                    Message next = left > 0 ? consumer.receive(left) : consumer.receiveNoWait();
                    if (next == null) break;
                    batch.add(next);
                }
                List<IndexedEvent> events = new ArrayList<>(batch.size());
                for (Message m : batch) {
                    IndexedEvent e = indexed(m);
                    if (e != null) events.add(e);
                }
                index.index(events);
                batch.get(batch.size() - 1).acknowledge(); // acknowledges the whole batch
            } catch (JMSException | RuntimeException e) {
                // not acknowledged: the broker gives the batch again on the next connection
                log.warn("event index: a batch could not be indexed ({}); retrying in 1 s", e.toString());
                close();
                sleep();
            }
        }
    }

    private static IndexedEvent indexed(Message m) throws JMSException {
        String id = m.getStringProperty(EventMessages.ID);
        if (id == null || !(m instanceof TextMessage text)) return null;
        return new IndexedEvent(0, id, m.getStringProperty(EventMessages.SOURCE), m.getStringProperty(EventMessages.TYPE),
                m.getStringProperty(EventMessages.SUBJECT), Instant.ofEpochMilli(m.getJMSTimestamp() > 0 ? m.getJMSTimestamp()
                        : System.currentTimeMillis()), EventText.read(text));
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
