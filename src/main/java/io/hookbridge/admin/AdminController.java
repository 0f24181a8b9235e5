package io.hookbridge.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.hookbridge.broker.EventMessages;
import io.hookbridge.delivery.AttemptLog;
import io.hookbridge.delivery.DeliveryAttempt;
import io.hookbridge.delivery.DeliveryMetrics;
import io.hookbridge.delivery.RoutesDirectory;
import io.hookbridge.delivery.SubscriptionEndpoint;
import io.hookbridge.event.EventJson;

/**
 * The operator's API under {@code /admin} (bearer token: {@link AdminTokenFilter}); described in
 * {@code /openapi.yaml}.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminController {

    static final String SUBSCRIPTION = "hookbridge_subscription";
    static final String LAST_STATUS = "hookbridge_last_status";
    static final String ERROR = "hookbridge_error";
    static final String ATTEMPTS = "hookbridge_attempts";
    static final String DEAD_LETTERED_AT = "hookbridge_dead_lettered_at";
    static final int MAX_LIMIT = 1000;

    private static final Logger log = LoggerFactory.getLogger(AdminController.class);

    private final RoutesDirectory routes;
    private final DeliveryMetrics metrics;
    private final AttemptLog attemptLog;
    private final BrokerQueues queues;
    private final CamelContext camel;

    private final SubscriptionHealth health;

    public AdminController(RoutesDirectory routes, DeliveryMetrics metrics, AttemptLog attemptLog, BrokerQueues queues,
                           CamelContext camel, SubscriptionHealth health) {
        this.health = health;
        this.routes = routes;
        this.metrics = metrics;
        this.attemptLog = attemptLog;
        this.queues = queues;
        this.camel = camel;
    }

    public record SubscriptionView(String name, String status, long delivered, long failed, long retrying, long deadLettered,
                                   long skipped, long queueDepth, long deadLetterDepth, boolean paused,
                                   Instant oldestUnacknowledgedAt, double lagSeconds, Integer held, Integer heldBehindRetries,
                                   Double successRate) { }

    public record DeadLetterView(String id, String type, String source, String subject, Integer lastStatus, String error,
                                 Integer attempts, Instant deadLetteredAt, String messageId, JsonNode event) { }

    public record AttemptView(String subscription, int attempt, Instant time, int status, long durationMillis, String error,
                              String responseBody) { }

    /** An unknown subscription name: answered 404. */
    static final class UnknownSubscription extends RuntimeException {
        UnknownSubscription(String detail) {
            super(detail, null, false, false);
        }
    }

    @GetMapping("/subscriptions")
    public Map<String, Object> subscriptions() throws JMSException {
        List<SubscriptionView> all = new ArrayList<>();
        for (String name : routes.subscriptionNames()) {
            Map<String, Long> counts = metrics.counts(name);
            SubscriptionHealth.Health h = health.of(name);
            all.add(new SubscriptionView(name, routeStatus(name), counts.get("delivered"), counts.get("failed"),
                    counts.get("retrying"), counts.get("deadLettered"), counts.get("skipped"),
                    queues.depth(String.format(SubscriptionEndpoint.EVENTS_QUEUE_FORMAT, name)),
                    queues.depth(SubscriptionEndpoint.DEAD_LETTER_QUEUE_PREFIX + name), h.paused(),
                    h.oldestUnacknowledgedAt(), h.lagSeconds(), h.held(), h.heldBehindRetries(), h.successRate()));
        }
        return Map.of("subscriptions", all);
    }

    @GetMapping("/subscriptions/{name}/dead-letters")
    public Map<String, Object> deadLetters(@PathVariable("name") String name,
                                           @RequestParam(name = "limit", defaultValue = "100") int limit) throws JMSException {
        known(name);
        String queue = SubscriptionEndpoint.DEAD_LETTER_QUEUE_PREFIX + name;
        List<DeadLetterView> parked = queues.browse(queue, Math.max(1, Math.min(limit, MAX_LIMIT)), AdminController::deadLetter);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subscription", name);
        answer.put("total", queues.depth(queue));
        answer.put("deadLetters", parked);
        return answer;
    }

    @PostMapping("/subscriptions/{name}/dead-letters/replay")
    public Map<String, Object> replay(@PathVariable("name") String name) throws JMSException {
        known(name);
        // only what was parked before now: an event that fails again during the replay stays parked
        String selector = DEAD_LETTERED_AT + " IS NULL OR " + DEAD_LETTERED_AT + " <= " + System.currentTimeMillis();
        int replayed = queues.move(SubscriptionEndpoint.DEAD_LETTER_QUEUE_PREFIX + name,
                String.format(SubscriptionEndpoint.EVENTS_QUEUE_FORMAT, name), selector, AdminController::forDelivery);
        log.info("dead letters replayed subscription={} count={}", name, replayed);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subscription", name);
        answer.put("replayed", replayed);
        return answer;
    }

    @GetMapping("/events/{id}/attempts")
    public Map<String, Object> attempts(@PathVariable("id") String id) {
        List<AttemptView> attempts = new ArrayList<>();
        for (DeliveryAttempt a : attemptLog.attemptsOf(id)) {
            attempts.add(new AttemptView(a.subscription(), a.attempt(), a.time(), a.status(), a.durationMillis(), a.error(),
                    a.responseBody()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("attempts", attempts);
        return answer;
    }

    @ExceptionHandler(UnknownSubscription.class)
    ResponseEntity<Map<String, Object>> unknown(UnknownSubscription e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
                .body(error("unknown_subscription", e.getMessage()));
    }

    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> badParameter(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(error("invalid_request", "parameter '" + e.getName() + "' must be a number"));
    }

    @ExceptionHandler(JMSException.class)
    ResponseEntity<Map<String, Object>> brokerFailed(JMSException e) {
        log.warn("admin request failed at the broker: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, io.hookbridge.web.ErrorAnswers.RETRY_AFTER_SECONDS)
                .body(error("unavailable", "the broker could not answer: " + e.getMessage()));
    }

    static Map<String, Object> error(String code, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("detail", detail);
        return body;
    }

    void known(String name) {
        List<String> names = routes.subscriptionNames();
        if (!names.contains(name)) {
            throw new UnknownSubscription("no subscription '" + name + "'; known subscriptions: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
    }

    private String routeStatus(String name) {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof SubscriptionEndpoint endpoint && endpoint.name().equals(name)) {
                ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
                return status == null ? "Unknown" : status.name();
            }
        }
        return "Stopped";
    }

    private static DeadLetterView deadLetter(Message message) throws JMSException {
        String text = message instanceof TextMessage t ? t.getText() : null;
        JsonNode event = null;
        if (text != null) {
            try {
                event = EventJson.mapper().readTree(text);
            } catch (Exception notJson) {
                event = EventJson.mapper().getNodeFactory().textNode(text);
            }
        }
        Long parkedAt = message.propertyExists(DEAD_LETTERED_AT) ? message.getLongProperty(DEAD_LETTERED_AT) : null;
        return new DeadLetterView(
                message.getStringProperty(EventMessages.ID),
                message.getStringProperty(EventMessages.TYPE),
                message.getStringProperty(EventMessages.SOURCE),
                message.getStringProperty(EventMessages.SUBJECT),
                message.propertyExists(LAST_STATUS) ? message.getIntProperty(LAST_STATUS) : null,
                message.getStringProperty(ERROR),
                message.propertyExists(ATTEMPTS) ? message.getIntProperty(ATTEMPTS) : null,
                parkedAt == null ? null : Instant.ofEpochMilli(parkedAt),
                message.getJMSMessageID(),
                event);
    }

    /** The parked event as the subscription's queue carries it: body and the properties EventPublisher sets. */
    static Message forDelivery(Session session, Message parked) throws JMSException {
        TextMessage message = session.createTextMessage(parked instanceof TextMessage t ? t.getText() : null);
        String source = parked.getStringProperty(EventMessages.SOURCE);
        String subject = parked.getStringProperty(EventMessages.SUBJECT);
        EventMessages.copy(parked, message);
        if (source != null && subject != null) message.setStringProperty(EventMessages.GROUP, source + ":" + subject);
        return message;
    }
}
