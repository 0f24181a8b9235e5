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
    /** ActiveMQ message groups keep one subject's events in order on one consumer. */
    public static final String GROUP = "JMSXGroupID";

    private EventMessages() { }

    static void describe(Message message, CanonicalEvent event) throws JMSException {
        message.setStringProperty(ID, event.id());
        message.setStringProperty(SOURCE, event.sourceId());
        message.setStringProperty(TYPE, event.type());
        if (event.subject() != null) {
            message.setStringProperty(SUBJECT, event.subject());
            message.setStringProperty(GROUP, event.sourceId() + ":" + event.subject());
        }
    }
}
