package io.hookbridge.admin;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.ops.CrashPoints;

/**
 * What the admin API asks the broker: how many messages a queue holds, what a queue holds (browsed, not
 * consumed), and moving messages from one queue to another in JMS transactions.
 */
@Component
public class BrokerQueues {

    /** Messages sent and consumed in one transaction when moving. */
    static final int MOVE_BATCH = 100;
    /** Browsing an external broker to count stops here. */
    static final int MAX_COUNTED = 100_000;

    private final ActiveMQConnectionFactory connectionFactory;
    private final ObjectProvider<EmbeddedBroker> embedded;

    public BrokerQueues(ActiveMQConnectionFactory activeMqConnectionFactory, ObjectProvider<EmbeddedBroker> embedded) {
        this.connectionFactory = activeMqConnectionFactory;
        this.embedded = embedded;
    }

    /** Turns a browsed or moved message into something that outlives the session. */
    @FunctionalInterface
    public interface MessageReader<T> {
        T read(Message message) throws JMSException;
    }

    /** Rewrites a message for its new queue. */
    @FunctionalInterface
    public interface MessageRewriter {
        Message rewrite(Session session, Message message) throws JMSException;
    }

    /**
     * Messages on the queue, waiting or being delivered: the embedded broker's own statistics; with an external
     * broker, a count by browsing (which the broker may cut short at its browse page size).
     */
    public long depth(String queue) throws JMSException {
        EmbeddedBroker local = embedded.getIfAvailable();
        if (local != null) {
            BrokerService broker = local.broker();
            try {
                Map<ActiveMQDestination, Destination> found = broker.getRegionBroker().getDestinationMap(new ActiveMQQueue(queue));
                long count = 0;
                for (Map.Entry<ActiveMQDestination, Destination> d : found.entrySet()) {
                    if (d.getKey().getPhysicalName().equals(queue)) count += d.getValue().getDestinationStatistics().getMessages().getCount();
                }
                return count;
            } catch (RuntimeException e) {
                throw jmsException("the embedded broker's statistics for " + queue + " are unavailable", e);
            }
        }
        return browse(queue, MAX_COUNTED, m -> Boolean.TRUE).size();
    }

    /** Up to {@code limit} messages from the head of the queue, left where they are. */
    public <T> List<T> browse(String queue, int limit, MessageReader<T> reader) throws JMSException {
        List<T> found = new ArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                Enumeration<?> messages = browser.getEnumeration();
                while (found.size() < limit && messages.hasMoreElements()) {
                    found.add(reader.read((Message) messages.nextElement()));
                }
            }
        }
        return found;
    }

    /**
     * Moves the messages selected from one queue to another: each batch is received and sent in one JMS
     * transaction, so a failure leaves every message in exactly one of the two queues.
     *
     * @return how many were moved
     */
    public int move(String from, String to, String selector, MessageRewriter rewriter) throws JMSException {
        if (embedded.getIfAvailable() != null && depth(from) == 0) return 0;
        int moved = 0;
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(from), selector);
            MessageProducer producer = session.createProducer(session.createQueue(to));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            int inTransaction = 0;
            Message message;
            while ((message = consumer.receive(moved + inTransaction == 0 ? 2000 : 500)) != null) {
                producer.send(rewriter.rewrite(session, message));
                if (++inTransaction >= MOVE_BATCH) {
                    CrashPoints.reach(CrashPoints.REPLAY_BEFORE_COMMIT);
                    session.commit();
                    moved += inTransaction;
                    inTransaction = 0;
                }
            }
            if (inTransaction > 0) {
                CrashPoints.reach(CrashPoints.REPLAY_BEFORE_COMMIT);
                session.commit();
                moved += inTransaction;
            }
        }
        return moved;
    }

    private static JMSException jmsException(String message, Exception cause) {
        JMSException e = new JMSException(message + ": " + cause);
        e.setLinkedException(cause);
        e.initCause(cause);
        return e;
    }
}
