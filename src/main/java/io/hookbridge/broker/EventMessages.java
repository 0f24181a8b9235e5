package io.hookbridge.broker;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import io.hookbridge.event.CanonicalEvent;

/** The JMS properties every canonical event message carries, so consumers can select without parsing. */
public final class EventMessages {

    public static final String ID = "hookbridge_id";
    public static final String SOURCE = "hookbridge_source";
    public static final String TYPE = "hookbridge_type";
    public static final String SUBJECT = "hookbridge_subject";
    /** When the broker took the event (epoch millis): with the id, the event's key in the event index. */
    public static final String RECEIVED = "hookbridge_received";
    /** ActiveMQ message groups keep one subject's events in order on one consumer. */
    public static final String GROUP = "JMSXGroupID";

    private EventMessages() { }

    static void describe(Message message, CanonicalEvent event, long receivedAt) throws JMSException {
        describe(message, event.id(), event.sourceId(), event.type(), event.subject(), receivedAt);
    }

    /** Sets the properties of an event's message, as the publisher does (a replay sends them again). */
    public static void describe(Message message, String id, String sourceId, String type, String subject, long receivedAt)
            throws JMSException {
        message.setStringProperty(ID, id);
        message.setLongProperty(RECEIVED, receivedAt);
        if (sourceId != null) message.setStringProperty(SOURCE, sourceId);
        if (type != null) message.setStringProperty(TYPE, type);
        if (subject != null) {
            message.setStringProperty(SUBJECT, subject);
            message.setStringProperty(GROUP, sourceId + ":" + subject);
        }
    }

    /** The event's {@link #RECEIVED} time; its JMS timestamp for a message without one (sent before it existed). */
    public static long receivedAt(Message message) throws JMSException {
        return message.getObjectProperty(RECEIVED) instanceof Long at ? at : message.getJMSTimestamp();
    }

    /** The properties that say which event a message is, copied when it is parked or replayed. */
    public static void copy(Message from, Message to) throws JMSException {
        for (String property : new String[] {ID, SOURCE, TYPE, SUBJECT}) {
            String value = from.getStringProperty(property);
            if (value != null) to.setStringProperty(property, value);
        }
        to.setLongProperty(RECEIVED, receivedAt(from));
    }
}
