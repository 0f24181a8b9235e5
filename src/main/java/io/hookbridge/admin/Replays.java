package io.hookbridge.admin;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.springframework.stereotype.Component;

import io.hookbridge.broker.EventMessages;
import io.hookbridge.broker.EventText;
import io.hookbridge.index.IndexedEvent;

/**
 * The broker side of a replay by filter: counting the dead letters a selector picks (for a dry run), and putting
 * events from the index back on a subscription's queue, {@value BrokerQueues#MOVE_BATCH} to a JMS transaction.
 * (Moving dead letters themselves is {@link BrokerQueues#move}.)
 */
@Component
public class Replays {

    private final ActiveMQConnectionFactory connectionFactory;

    public Replays(ActiveMQConnectionFactory activeMqConnectionFactory) {
        this.connectionFactory = activeMqConnectionFactory;
    }

    /** Messages on the queue the selector picks, counted by browsing, at most {@code max}. */
    public int count(String queue, String selector, int max) throws JMSException {
        int found = 0;
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue), selector)) {
                Enumeration<?> messages = browser.getEnumeration();
                while (found < max && messages.hasMoreElements()) {
                    messages.nextElement();
                    found++;
                }
            }
        }
        return found;
    }

    /**
     * Sends the indexed events to the queue as the publisher does (body, properties, the subject's message group),
     * persistent, committed in batches: a failure leaves the batches before it sent and the rest not.
     *
     * @return the events sent
     */
    public List<IndexedEvent> send(String queue, List<IndexedEvent> events) throws JMSException {
        List<IndexedEvent> sent = new ArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            List<IndexedEvent> inTransaction = new ArrayList<>();
            for (IndexedEvent e : events) {
                TextMessage message = EventText.message(session, e.json());
                EventMessages.describe(message, e.id(), e.source(), e.type(), e.subject(), e.receivedAt().toEpochMilli());
                producer.send(message);
                inTransaction.add(e);
                if (inTransaction.size() >= BrokerQueues.MOVE_BATCH) {
                    session.commit();
                    sent.addAll(inTransaction);
                    inTransaction.clear();
                }
            }
            if (!inTransaction.isEmpty()) {
                session.commit();
                sent.addAll(inTransaction);
            }
        }
        return sent;
    }

    /** A JMS selector string literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
