package io.hookbridge.support;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.ActiveMQConnectionFactory;

/** A JMS consumer of canonical events over real OpenWire TCP: Consumer.<name>.VirtualTopic.hookbridge.events. */
public final class JmsProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Session session;
    private final MessageConsumer consumer;

    /** Reads Consumer.<consumerName>.VirtualTopic.hookbridge.events, creating that durable queue. */
    public static JmsProbe consumer(String brokerUrl, String consumerName) throws JMSException {
        return new JmsProbe(brokerUrl, "Consumer." + consumerName + ".VirtualTopic.hookbridge.events");
    }

    public static JmsProbe onQueue(String brokerUrl, String queue) throws JMSException {
        return new JmsProbe(brokerUrl, queue);
    }

    private JmsProbe(String brokerUrl, String queue) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("hookbridge", "hookbridge", brokerUrl);
        factory.setWatchTopicAdvisories(false);
        connection = factory.createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        consumer = session.createConsumer(session.createQueue(queue));
    }

    /** The next event's JSON, or null if none arrives within the timeout. */
    public JsonNode next(long timeoutMillis) throws Exception {
        Message message = consumer.receive(timeoutMillis);
        if (message == null) return null;
        return JSON.readTree(((TextMessage) message).getText());
    }

    public Message nextMessage(long timeoutMillis) throws JMSException {
        return consumer.receive(timeoutMillis);
    }

    /** Everything waiting now (stops after a quiet period). */
    public List<JsonNode> drain(long quietMillis) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        JsonNode next;
        while ((next = next(quietMillis)) != null) all.add(next);
        return all;
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
