package io.hookbridge.admin;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import jakarta.jms.JMSException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.hookbridge.broker.EventMessages;
import io.hookbridge.delivery.RoutesDirectory;
import io.hookbridge.delivery.SubscriptionEndpoint;
import io.hookbridge.event.EventJson;
import io.hookbridge.index.EventIndex;
import io.hookbridge.index.EventQuery;
import io.hookbridge.index.EventStatus;
import io.hookbridge.index.IndexedEvent;

/** Replaying a subscription's events by filter or id, and pausing and resuming its deliveries. */
@RestController
@RequestMapping(path = "/admin/subscriptions/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
public class SubscriptionControlsController {

    /** Most events one replay request puts back (ask again for more). */
    static final int MAX_REPLAY = 10_000;
    static final int MAX_IDS = 1000;
    static final int MAX_BODY_BYTES = 1 << 20;
    static final Set<String> FIELDS = Set.of("from", "ids", "source", "type", "subject", "status", "since", "until", "dryRun");

    private static final Logger log = LoggerFactory.getLogger(SubscriptionControlsController.class);

    public enum ReplayFrom {
        DEAD_LETTERS("dead-letters"), EVENTS("events");

        final String wire;

        ReplayFrom(String wire) {
            this.wire = wire;
        }
    }

    /**
     * @param matched  events the filter picks (at most {@value #MAX_REPLAY}; {@code limited} when there are more)
     * @param replayed events put on the subscription's queue; 0 on a dry run
     */
    public record ReplayResult(String subscription, String from, boolean dryRun, int matched, int replayed, boolean limited) { }

    public record PauseResult(String subscription, boolean paused, String status) { }

    private final RoutesDirectory routes;
    private final AdminController admin;
    private final BrokerQueues queues;
    private final Replays replays;
    private final EventIndex index;
    private final SubscriptionHealth health;
    private final CamelContext camel;

    public SubscriptionControlsController(RoutesDirectory routes, AdminController admin, BrokerQueues queues, Replays replays,
                                          EventIndex index, SubscriptionHealth health, CamelContext camel) {
        this.routes = routes;
        this.admin = admin;
        this.queues = queues;
        this.replays = replays;
        this.index = index;
        this.health = health;
        this.camel = camel;
    }

    @PostMapping("/replay")
    public ReplayResult replay(@PathVariable("name") String name, jakarta.servlet.http.HttpServletRequest http)
            throws JMSException, java.io.IOException {
        admin.known(name);
        // read as sent whatever the Content-Type (curl -d says form-urlencoded, which Spring would re-encode)
        byte[] bytes = http.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) throw new BadParameter("body", "the request body is larger than " + MAX_BODY_BYTES + " bytes");
        JsonNode request = request(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        String fromText = field(request, "from");
        ReplayFrom from = fromText == null ? ReplayFrom.DEAD_LETTERS : null;
        for (ReplayFrom f : ReplayFrom.values()) if (f.wire.equals(fromText)) from = f;
        if (from == null) throw new BadParameter("from", "field 'from' must be dead-letters or events, found '" + fromText + "'");
        List<String> ids = ids(request);
        boolean dryRun = request.path("dryRun").asBoolean(false);
        if (request.has("dryRun") && !request.get("dryRun").isBoolean()) {
            throw new BadParameter("dryRun", "field 'dryRun' must be true or false");
        }
        EventQuery query = EventLogController.query(f -> field(request, f), routes.subscriptionNames(), false);
        String queue = String.format(SubscriptionEndpoint.EVENTS_QUEUE_FORMAT, name);
        if (from == ReplayFrom.DEAD_LETTERS) {
            if (query.status() != null && query.status() != EventStatus.DEAD_LETTERED) {
                throw new BadParameter("status", "field 'status': a replay from dead-letters takes dead-lettered events only");
            }
            String selector = selector(query, ids);
            String dlq = SubscriptionEndpoint.DEAD_LETTER_QUEUE_PREFIX + name;
            int matched = replays.count(dlq, selector, MAX_REPLAY + 1);
            if (dryRun) return new ReplayResult(name, from.wire, true, Math.min(matched, MAX_REPLAY), 0, matched > MAX_REPLAY);
            List<EventIndex.EventRef> moved = new ArrayList<>();
            int replayed = queues.move(dlq, queue, selector, (session, parked) -> {
                moved.add(new EventIndex.EventRef(parked.getStringProperty(EventMessages.ID), EventMessages.receivedAt(parked)));
                return AdminController.forDelivery(session, parked);
            });
            index.replayed(name, moved);
            log.info("dead letters replayed subscription={} count={} selector={}", name, replayed, selector);
            return new ReplayResult(name, from.wire, false, Math.max(matched, replayed), replayed, false);
        }
        AdminErrors.IndexOff.unless(index);
        if (ids.isEmpty() && query.equals(new EventQuery(null, null, null, null, null, null, null, null))) {
            throw new BadParameter("ids", "a replay from events needs 'ids' or at least one of source, type, subject, status, since, until");
        }
        EventQuery forSubscription = query.status() == null ? query
                : new EventQuery(query.source(), query.type(), query.subject(), query.status(), name, query.since(), query.until(), null);
        List<IndexedEvent> events = new ArrayList<>();
        if (ids.isEmpty()) {
            events.addAll(index.select(forSubscription, MAX_REPLAY + 1));
        } else {
            for (String id : ids) {
                IndexedEvent e = index.find(id);
                if (e != null && matches(e, forSubscription)) events.add(e);
            }
        }
        boolean limited = events.size() > MAX_REPLAY;
        if (limited) events = events.subList(0, MAX_REPLAY);
        java.util.Collections.reverse(events); // oldest first, as they were received
        if (dryRun) return new ReplayResult(name, from.wire, true, events.size(), 0, limited);
        List<IndexedEvent> sent = replays.send(queue, events);
        index.replayed(name, sent.stream().map(e -> new EventIndex.EventRef(e.id(), e.receivedAt().toEpochMilli())).toList());
        log.info("events replayed from the index subscription={} count={}", name, sent.size());
        return new ReplayResult(name, from.wire, false, events.size(), sent.size(), limited);
    }

    @PostMapping("/pause")
    public PauseResult pause(@PathVariable("name") String name) throws Exception {
        admin.known(name);
        Route route = health.route(name);
        health.markPaused(name, true); // first: a crash before the suspension still leaves it paused at the next start
        if (route != null) camel.getRouteController().suspendRoute(route.getRouteId());
        log.info("subscription paused subscription={}", name);
        return new PauseResult(name, true, status(route));
    }

    @PostMapping("/resume")
    public PauseResult resume(@PathVariable("name") String name) throws Exception {
        admin.known(name);
        Route route = health.route(name);
        health.markPaused(name, false); // first: the consumer opens its queue on resuming only when it is not paused
        if (route != null) camel.getRouteController().resumeRoute(route.getRouteId());
        log.info("subscription resumed subscription={}", name);
        return new PauseResult(name, false, status(route));
    }

    private String status(Route route) {
        if (route == null) return "Stopped";
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
        return status == null ? "Unknown" : status.name();
    }

    /** Only for ids given one by one: the same filter the index applies to a list. */
    private boolean matches(IndexedEvent e, EventQuery q) {
        if (q.source() != null && !q.source().equals(e.source())) return false;
        if (q.type() != null && !q.type().equals(e.type())) return false;
        if (q.subject() != null && !q.subject().equals(e.subject())) return false;
        if (q.since() != null && e.receivedAt().isBefore(q.since())) return false;
        if (q.until() != null && !e.receivedAt().isBefore(q.until())) return false;
        if (q.status() != null) {
            for (EventIndex.SubscriptionStatus s : index.statuses(e)) {
                if (s.subscription().equals(q.subscription())) return s.status() == q.status();
            }
            return false;
        }
        return true;
    }

    /** The dead letters parked before now that the filter picks; since and until bound when they were parked. */
    static String selector(EventQuery q, List<String> ids) {
        List<String> parts = new ArrayList<>();
        parts.add("(" + AdminController.DEAD_LETTERED_AT + " IS NULL OR " + AdminController.DEAD_LETTERED_AT + " <= "
                + System.currentTimeMillis() + ")");
        if (q.source() != null) parts.add(EventMessages.SOURCE + " = " + Replays.literal(q.source()));
        if (q.type() != null) parts.add(EventMessages.TYPE + " = " + Replays.literal(q.type()));
        if (q.subject() != null) parts.add(EventMessages.SUBJECT + " = " + Replays.literal(q.subject()));
        if (q.since() != null) parts.add(AdminController.DEAD_LETTERED_AT + " >= " + q.since().toEpochMilli());
        if (q.until() != null) parts.add(AdminController.DEAD_LETTERED_AT + " < " + q.until().toEpochMilli());
        if (!ids.isEmpty()) {
            StringBuilder in = new StringBuilder(EventMessages.ID + " IN (");
            for (int i = 0; i < ids.size(); i++) in.append(i == 0 ? "" : ", ").append(Replays.literal(ids.get(i)));
            parts.add(in.append(')').toString());
        }
        return String.join(" AND ", parts);
    }

    private static JsonNode request(String body) {
        if (body == null || body.isBlank()) return JsonNodeFactory.instance.objectNode();
        JsonNode request;
        try {
            request = EventJson.mapper().readTree(body);
        } catch (Exception e) {
            throw new BadParameter("body", "the request body must be a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (request == null || !request.isObject()) throw new BadParameter("body", "the request body must be a JSON object");
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new BadParameter(field, "unknown field '" + field + "'; known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        return request;
    }

    private static String field(JsonNode request, String name) {
        JsonNode value = request.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw new BadParameter(name, "field '" + name + "' must be a string");
        return value.asText();
    }

    private static List<String> ids(JsonNode request) {
        JsonNode value = request.get("ids");
        List<String> ids = new ArrayList<>();
        if (value == null || value.isNull()) return ids;
        if (!value.isArray()) throw new BadParameter("ids", "field 'ids' must be an array of event ids");
        if (value.size() > MAX_IDS) throw new BadParameter("ids", "field 'ids' holds at most " + MAX_IDS + " ids, found " + value.size());
        for (JsonNode id : value) {
            if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > EventLogController.MAX_TEXT) {
                throw new BadParameter("ids", "field 'ids' must hold non-empty strings of at most " + EventLogController.MAX_TEXT
                        + " characters, found " + id);
            }
            ids.add(id.asText());
        }
        return ids;
    }
}
