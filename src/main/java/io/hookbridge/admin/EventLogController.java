package io.hookbridge.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.hookbridge.delivery.AttemptLog;
import io.hookbridge.delivery.DeliveryAttempt;
import io.hookbridge.delivery.RoutesDirectory;
import io.hookbridge.delivery.SubscriptionEndpoint;
import io.hookbridge.event.EventJson;
import io.hookbridge.index.EventIndex;
import io.hookbridge.index.EventQuery;
import io.hookbridge.index.EventStatus;
import io.hookbridge.index.IndexedEvent;

/** The event log: every accepted event, filtered and paged, and one event with its payload and every attempt. */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
public class EventLogController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_TEXT = 500;
    static final Set<String> LIST_PARAMETERS = Set.of("source", "type", "subject", "status", "subscription", "since",
            "until", "cursor", "limit");

    public record StatusView(String subscription, String status, int attempts, Instant updatedAt) { }

    public record EventSummary(String id, String source, String type, String subject, String vendorEvent, Instant time,
                               Instant receivedAt, List<StatusView> statuses) { }

    /** @param nextCursor pass as {@code cursor} for the next (older) page; null when there is none */
    public record EventPage(List<EventSummary> events, String nextCursor, long scanned) { }

    /** @param nextRetryAt when the next attempt is due, on the latest attempt of a subscription still retrying */
    public record AttemptDetail(String subscription, int attempt, Instant time, int status, long durationMillis, String error,
                                String responseBody, Instant nextRetryAt) { }

    public record EventDetail(String id, String source, String type, String subject, String vendorEvent, Instant time,
                              Instant receivedAt, List<StatusView> statuses, JsonNode event, JsonNode vendorPayload,
                              List<AttemptDetail> attempts) { }

    private final EventIndex index;
    private final AttemptLog attemptLog;
    private final RoutesDirectory routes;
    private final SubscriptionHealth health;

    public EventLogController(EventIndex index, AttemptLog attemptLog, RoutesDirectory routes, SubscriptionHealth health) {
        this.index = index;
        this.attemptLog = attemptLog;
        this.routes = routes;
        this.health = health;
    }

    @GetMapping("/events")
    public EventPage events(@RequestParam Map<String, String> parameters) {
        AdminErrors.IndexOff.unless(index);
        for (String name : parameters.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw new BadParameter(name, "unknown parameter '" + name + "'; known: " + String.join(", ",
                        new java.util.TreeSet<>(LIST_PARAMETERS)));
            }
        }
        EventQuery query = query(parameters::get, routes.subscriptionNames(), true);
        String cursorText = text(parameters.get("cursor"), "cursor");
        Long cursor = null;
        if (cursorText != null) {
            try {
                cursor = Long.parseLong(cursorText);
            } catch (NumberFormatException e) {
                cursor = -1L;
            }
            if (cursor <= 0) throw new BadParameter("cursor", "parameter 'cursor' must be a nextCursor of an earlier page");
        }
        int limit = DEFAULT_LIMIT;
        String limitText = parameters.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadParameter("limit", "parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT + ", found '" + limitText + "'");
            }
        }
        EventIndex.Page page = index.search(query.withBefore(cursor), limit);
        List<EventSummary> events = new ArrayList<>();
        for (IndexedEvent e : page.events()) {
            JsonNode json = json(e);
            events.add(new EventSummary(e.id(), e.source(), e.type(), e.subject(), EventJson.text(json, "vendorevent"),
                    time(json), e.receivedAt(), views(page.statuses().getOrDefault(e.id(), List.of()))));
        }
        return new EventPage(events, page.nextCursor() == null ? null : Long.toString(page.nextCursor()), page.scanned());
    }

    @GetMapping("/events/{id}")
    public EventDetail event(@PathVariable("id") String id) {
        AdminErrors.IndexOff.unless(index);
        IndexedEvent e = id.length() > MAX_TEXT ? null : index.find(id);
        if (e == null) throw new AdminErrors.UnknownEvent("no event '" + id + "' in the event index (unknown, not indexed yet, or pruned)");
        List<EventIndex.SubscriptionStatus> statuses = index.statuses(e);
        List<DeliveryAttempt> attempts = attemptLog.attemptsOf(id);
        List<AttemptDetail> details = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            DeliveryAttempt a = attempts.get(i);
            Instant nextRetryAt = null;
            if (!a.succeeded() && isLastOf(attempts, i) && retrying(statuses, a.subscription())) {
                SubscriptionEndpoint endpoint = health.endpoint(a.subscription());
                if (endpoint != null) {
                    // the schedule's backoff; a Retry-After the receiver sent may have put it later
                    long delay = endpoint.retrySchedule().delayAfter(a.attempt(), null, a.time());
                    nextRetryAt = a.time().plusMillis(a.durationMillis() + delay);
                }
            }
            details.add(new AttemptDetail(a.subscription(), a.attempt(), a.time(), a.status(), a.durationMillis(), a.error(),
                    a.responseBody(), nextRetryAt));
        }
        JsonNode json = json(e);
        return new EventDetail(e.id(), e.source(), e.type(), e.subject(), EventJson.text(json, "vendorevent"), time(json),
                e.receivedAt(), views(statuses), json, json.path("data").path("vendor").path("payload"), details);
    }

    private static boolean isLastOf(List<DeliveryAttempt> attempts, int i) {
        String subscription = attempts.get(i).subscription();
        for (int j = i + 1; j < attempts.size(); j++) if (attempts.get(j).subscription().equals(subscription)) return false;
        return true;
    }

    private static boolean retrying(List<EventIndex.SubscriptionStatus> statuses, String subscription) {
        for (EventIndex.SubscriptionStatus s : statuses) {
            if (s.subscription().equals(subscription)) return s.status() == EventStatus.RETRYING;
        }
        return false;
    }

    /** A filter read from query parameters or a replay's body, each checked; {@code field} names the parameter. */
    static EventQuery query(java.util.function.Function<String, String> field, List<String> subscriptions, boolean withSubscription) {
        String statusText = text(field.apply("status"), "status");
        EventStatus status = null;
        if (statusText != null) {
            status = EventStatus.fromWire(statusText);
            if (status == null) {
                List<String> known = new ArrayList<>();
                for (EventStatus s : EventStatus.values()) known.add(s.wire());
                throw new BadParameter("status", "parameter 'status' must be one of " + String.join(", ", known)
                        + ", found '" + statusText + "'");
            }
        }
        String subscription = withSubscription ? text(field.apply("subscription"), "subscription") : null;
        if (subscription != null && !subscriptions.contains(subscription)) {
            throw new BadParameter("subscription", "parameter 'subscription': no subscription '" + subscription
                    + "'; known subscriptions: " + (subscriptions.isEmpty() ? "none" : String.join(", ", subscriptions)));
        }
        Instant since = instant(field.apply("since"), "since");
        Instant until = instant(field.apply("until"), "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new BadParameter("until", "parameter 'until' must be later than 'since'");
        }
        return new EventQuery(text(field.apply("source"), "source"), text(field.apply("type"), "type"),
                text(field.apply("subject"), "subject"), status, subscription, since, until, null);
    }

    static String text(String value, String name) {
        if (value == null || value.isBlank()) return null;
        if (value.length() > MAX_TEXT) throw new BadParameter(name, "parameter '" + name + "' is longer than " + MAX_TEXT + " characters");
        return value.strip();
    }

    static Instant instant(String value, String name) {
        String text = text(value, name);
        if (text == null) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadParameter(name, "parameter '" + name + "' must be an RFC 3339 time such as 2026-12-01T09:30:00Z, found '"
                    + text + "'");
        }
    }

    private static List<StatusView> views(List<EventIndex.SubscriptionStatus> statuses) {
        List<StatusView> views = new ArrayList<>();
        for (EventIndex.SubscriptionStatus s : statuses) {
            views.add(new StatusView(s.subscription(), s.status().wire(), s.attempts(), s.updatedAt()));
        }
        return views;
    }

    private static JsonNode json(IndexedEvent e) {
        try {
            return EventJson.mapper().readTree(e.json() == null ? "{}" : e.json());
        } catch (Exception notJson) {
            return EventJson.mapper().getNodeFactory().textNode(e.json());
        }
    }

    private static Instant time(JsonNode json) {
        String text = EventJson.text(json, "time");
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
