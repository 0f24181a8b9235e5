package io.hookbridge.jms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.hookbridge.broker.EventMessages;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.event.EventJson;
import io.hookbridge.ingest.IngestResult;
import io.hookbridge.ingest.IngestService;
import io.hookbridge.ops.CrashPoints;
import io.hookbridge.event.WebhookException;

/**
 * One message from {@value PublishQueueRoute#QUEUE}, inside the consuming session's transaction:
 * <ul>
 *   <li>no {@code hookbridge_source} property (or a HookBridge event message, which carries {@code hookbridge_id}):
 *       a canonical CloudEvents JSON event, checked (specversion, id, source, type) and accepted like a webhook's;</li>
 *   <li>{@code hookbridge_source=<source id>}: a vendor-shaped body, normalized as if posted to
 *       {@code /webhooks/<source id>} (no signature: the broker authenticated the sender);</li>
 *   <li>invalid: a copy (body and properties) goes to {@value PublishQueueRoute#DEAD_LETTER_QUEUE} with
 *       {@code hookbridge_error}, in the same transaction as the consume, so it is neither lost nor retried;</li>
 *   <li>the event could not be stored (broker unavailable): the exception rolls the transaction back and the
 *       broker redelivers the message later. An unexpected failure is retried the same way, at most
 *       {@code hookbridge.jms.max-redeliveries} times, then dead-lettered with the reason.</li>
 * </ul>
 */
@Component
public class PublishedMessageProcessor implements Processor {

    /** Reason given on a dead-lettered message: {@code invalid_payload}, {@code unknown_source}, {@code failed}. */
    public static final String ERROR = "hookbridge_error";
    public static final String ERROR_CODE = "hookbridge_error_code";
    public static final String DEAD_LETTERED_AT = "hookbridge_dead_lettered_at";

    private static final Logger log = LoggerFactory.getLogger(PublishedMessageProcessor.class);

    private final IngestService ingest;
    private final MeterRegistry meters;
    private final int maxRedeliveries;

    public PublishedMessageProcessor(IngestService ingest, MeterRegistry meters,
                                     @Value("${hookbridge.jms.max-redeliveries:20}") int maxRedeliveries) {
        this.ingest = ingest;
        this.meters = meters;
        this.maxRedeliveries = maxRedeliveries;
    }

    /** Why a message cannot be ingested, ever: it is dead-lettered, not retried. */
    static final class Invalid extends Exception {
        final String code;

        Invalid(String code, String detail) {
            super(detail, null, false, false);
            this.code = code;
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JmsMessage in = exchange.getIn(JmsMessage.class);
        Message message = in.getJmsMessage();
        Session session = in.getJmsSession();
        String vendorSource = message.getStringProperty(EventMessages.SOURCE);
        boolean canonical = vendorSource == null || message.getStringProperty(EventMessages.ID) != null;
        try {
            IngestResult result = canonical ? acceptCanonical(body(message)) : acceptVendor(vendorSource, body(message));
            log.debug("jms message {} ingested as event {} (duplicate={})", message.getJMSMessageID(), result.id(), result.duplicate());
            CrashPoints.reach(CrashPoints.PUBLISH_BEFORE_CONSUME_COMMIT);
        } catch (Invalid e) {
            deadLetter(session, message, e.code, e.getMessage());
            log.warn("jms message dead-lettered queue={} messageId={} source={} reason={} error={}",
                    PublishQueueRoute.DEAD_LETTER_QUEUE, message.getJMSMessageID(),
                    canonical ? "canonical" : vendorSource, e.code, e.getMessage());
        } catch (WebhookException e) {
            // UNAVAILABLE: the event could not be stored; roll back so the broker redelivers it later
            log.warn("jms message {} not ingested, rolled back for redelivery: {}", message.getJMSMessageID(), e.detail());
            throw e;
        } catch (RuntimeException e) {
            int deliveries = deliveryCount(message);
            if (deliveries > maxRedeliveries) {
                String detail = "ingestion failed " + deliveries + " times: " + e;
                deadLetter(session, message, "failed", detail);
                log.error("jms message dead-lettered queue={} messageId={} reason=failed error={}",
                        PublishQueueRoute.DEAD_LETTER_QUEUE, message.getJMSMessageID(), detail, e);
            } else {
                log.warn("jms message {} failed (delivery {}), rolled back for redelivery: {}", message.getJMSMessageID(), deliveries, e.toString());
                throw e;
            }
        }
    }

    private IngestResult acceptCanonical(byte[] body) throws Invalid {
        JsonNode node;
        try {
            node = EventJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw rejected("jms", WebhookException.Kind.INVALID_PAYLOAD.code, "the body is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""));
        } catch (java.io.IOException e) {
            throw rejected("jms", WebhookException.Kind.INVALID_PAYLOAD.code, "the body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw rejected("jms", WebhookException.Kind.INVALID_PAYLOAD.code,
                    "a message without hookbridge_source must be a CloudEvents 1.0 structured-mode JSON object, found "
                            + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        CanonicalEvent event;
        try {
            event = CanonicalEvent.fromJson(node);
        } catch (IllegalArgumentException e) {
            String source = EventJson.text(node, "source");
            throw rejected(source == null ? "jms" : sourceId(source), WebhookException.Kind.INVALID_PAYLOAD.code,
                    "not a valid canonical event: " + e.getMessage());
        }
        return ingest.accept(event);
    }

    private IngestResult acceptVendor(String sourceId, byte[] body) throws Invalid {
        try {
            return ingest.receiveTrusted(sourceId, body);
        } catch (WebhookException e) {
            // IngestService has counted the rejection already
            if (e.kind() == WebhookException.Kind.UNAVAILABLE) throw e;
            if (e.kind() == WebhookException.Kind.UNKNOWN_SOURCE) throw new Invalid(e.kind().code, e.detail());
            throw new Invalid(e.kind().code, "not a valid " + sourceId + " webhook body: " + e.detail());
        }
    }

    private Invalid rejected(String source, String reason, String detail) {
        Counter.builder("hookbridge.events.rejected")
                .description("Webhooks and messages refused")
                .tag("source", source).tag("reason", reason)
                .register(meters).increment();
        return new Invalid(reason, detail);
    }

    private byte[] body(Message message) throws Invalid, JMSException {
        if (message instanceof TextMessage text) {
            String value = text.getText();
            if (value == null) throw rejected(sourceTag(message), WebhookException.Kind.INVALID_PAYLOAD.code, "the text message has no body");
            return value.getBytes(StandardCharsets.UTF_8);
        }
        if (message instanceof BytesMessage bytes) {
            long length = bytes.getBodyLength();
            if (length > Integer.MAX_VALUE - 8) throw rejected(sourceTag(message), WebhookException.Kind.PAYLOAD_TOO_LARGE.code, "the body is too large");
            bytes.reset();
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = bytes.readBytes(buffer)) > 0) out.write(buffer, 0, n);
            return out.toByteArray();
        }
        throw rejected(sourceTag(message), WebhookException.Kind.INVALID_PAYLOAD.code,
                "expected a text message (JSON), found a " + jmsType(message));
    }

    private static String sourceTag(Message message) throws JMSException {
        String source = message.getStringProperty(EventMessages.SOURCE);
        return source == null ? "jms" : source;
    }

    private static String sourceId(String ceSource) {
        return ceSource.startsWith(CanonicalEvent.SOURCE_PREFIX) ? ceSource.substring(CanonicalEvent.SOURCE_PREFIX.length()) : ceSource;
    }

    private static String jmsType(Message message) {
        for (Class<?> type : message.getClass().getInterfaces()) {
            if (type.getName().startsWith("jakarta.jms.")) return type.getSimpleName();
        }
        return message.getClass().getSimpleName();
    }

    private static int deliveryCount(Message message) {
        try {
            return message.getIntProperty("JMSXDeliveryCount");
        } catch (JMSException | RuntimeException e) {
            return 1;
        }
    }

    /** Parks a copy of the message, body and properties, with the reason; sent in the consuming transaction. */
    private void deadLetter(Session session, Message original, String code, String detail) throws JMSException {
        Message parked = copyOf(session, original);
        parked.setStringProperty(ERROR, detail);
        parked.setStringProperty(ERROR_CODE, code);
        parked.setLongProperty(DEAD_LETTERED_AT, System.currentTimeMillis());
        MessageProducer producer = session.createProducer(session.createQueue(PublishQueueRoute.DEAD_LETTER_QUEUE));
        try {
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(parked, DeliveryMode.PERSISTENT, original.getJMSPriority(), 0);
        } finally {
            producer.close();
        }
    }

    private static Message copyOf(Session session, Message original) throws JMSException {
        if (original instanceof ActiveMQMessage activeMq) {
            ActiveMQMessage copy = (ActiveMQMessage) activeMq.copy();
            copy.setReadOnlyProperties(false);
            copy.setRedeliveryCounter(0);
            copy.setOriginalDestination((ActiveMQDestination) original.getJMSDestination());
            copy.setJMSExpiration(0);
            return copy;
        }
        Message copy;
        if (original instanceof TextMessage text) {
            copy = session.createTextMessage(text.getText());
        } else if (original instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            BytesMessage b = session.createBytesMessage();
            b.writeBytes(body);
            copy = b;
        } else {
            copy = session.createMessage();
        }
        for (Object name : Collections.list(original.getPropertyNames())) {
            String property = (String) name;
            if (property.startsWith("JMSX")) continue;
            copy.setObjectProperty(property, original.getObjectProperty(property));
        }
        copy.setJMSCorrelationID(original.getJMSCorrelationID());
        copy.setJMSType(original.getJMSType());
        return copy;
    }
}
