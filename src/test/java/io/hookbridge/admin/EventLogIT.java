package io.hookbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * The event log, against a real gateway and a real receiver, as an operator uses it: a mix of webhooks goes out,
 * one receiver fails for one meeting's events; the failed events are found by meeting and status, read (payload,
 * attempts, the receiver's answer), replayed by filter after a dry-run count, and delivered; delivered events are
 * sent again to another subscription (a backfill); a subscription is paused and resumed; bad input is answered 400
 * naming the parameter; the index survives a restart.
 */
class EventLogIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> AUTHORIZED = AdminApiIT.AUTHORIZED;
    static final String MEETING = "1258835";

    @TempDir
    Path work;

    @Test
    void operatorsFindReadAndReplayFailedEvents() throws Exception {
        AtomicBoolean crmFailing = new AtomicBoolean(true);
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answer(r -> {
                if (r.path().equals("/crm") && crmFailing.get() && MEETING.equals(r.json().path("subject").asText())) {
                    return Reply.of(500, "{\"message\":\"meeting room directory offline\"}");
                }
                if (r.path().equals("/slow")) return Reply.of(503, "busy");
                return Reply.of(204);
            });
            Path routes = new Routes()
                    .subscription("crm", Map.of("url", receiver.url("/crm"), "sources", "iotum,pencil", "maxAttempts", "2",
                            "initialDelay", "50"))
                    .subscription("audit", Map.of("url", receiver.url("/audit")))
                    .subscription("slow", Map.of("url", receiver.url("/slow"), "sources", "spaceos", "maxAttempts", "3",
                            "initialDelay", "600000"))
                    .writeTo(work.resolve("routes"));
            Path data = work.resolve("data");
            Map<String, String> idsByFixture = new LinkedHashMap<>();
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            try (Gateway gateway = Gateway.start(data, routes.toString(), "hookbridge.index.enabled=true")) {
                for (String fixture : List.of("iotum/conference_start", "pencil/EVENT_CREATED", "iotum/enter_conference",
                        "pencil/EVENT_CANCELLED", "iotum/recording_ready", "spaceos/booking.start")) {
                    String source = fixture.substring(0, fixture.indexOf('/'));
                    byte[] body = Fixtures.unique(source, Fixtures.read("fixtures/" + fixture + ".json"));
                    Answer accepted = Http.post(gateway.url("/webhooks/" + source), body, VendorSigner.headers(source, body));
                    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                    idsByFixture.put(fixture, accepted.json().get("id").asText());
                    bodies.put(fixture, body);
                }
                List<String> meetingIds = List.of(idsByFixture.get("iotum/conference_start"),
                        idsByFixture.get("iotum/enter_conference"), idsByFixture.get("iotum/recording_ready"));

                // the three events of the meeting fail twice at crm and are dead-lettered; everything else is delivered
                JsonNode failed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> events(gateway, "subject=" + MEETING + "&status=dead_lettered&subscription=crm"),
                                page -> page.get("events").size() == 3);
                Set<String> found = new HashSet<>();
                for (JsonNode e : failed.get("events")) {
                    found.add(e.get("id").asText());
                    assertThat(e.get("source").asText()).isEqualTo("iotum");
                    assertThat(e.get("subject").asText()).isEqualTo(MEETING);
                    assertThat(e.get("vendorEvent").asText()).isNotBlank();
                    assertThat(Instant.parse(e.get("time").asText())).isBefore(Instant.parse(e.get("receivedAt").asText()));
                    assertThat(statusOf(e, "crm")).isEqualTo("dead_lettered");
                    assertThat(statusOf(e, "slow")).as("slow takes spaceos only").isNull();
                }
                assertThat(found).containsExactlyInAnyOrderElementsOf(meetingIds);
                await().atMost(Duration.ofSeconds(20)).until(() -> events(gateway, "subscription=audit&status=delivered")
                        .get("events").size() == 6);
                assertThat(events(gateway, "").get("events")).hasSize(6);
                assertThat(events(gateway, "source=pencil&status=delivered&subscription=crm").get("events")).hasSize(2);
                assertThat(events(gateway, "type=participant.joined").get("events")).hasSize(1);
                assertThat(events(gateway, "status=dead_lettered").get("events")).hasSize(3);
                assertThat(events(gateway, "since=" + Instant.now().plusSeconds(60)).get("events")).isEmpty();
                assertThat(events(gateway, "until=" + Instant.now().minusSeconds(600)).get("events")).isEmpty();

                // paging: newest first, two at a time, every event once
                List<String> paged = new ArrayList<>();
                String cursor = null;
                do {
                    JsonNode page = events(gateway, "limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
                    assertThat(page.get("events").size()).isLessThanOrEqualTo(2);
                    page.get("events").forEach(e -> paged.add(e.get("id").asText()));
                    cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
                } while (cursor != null);
                assertThat(paged).containsExactlyElementsOf(reversed(new ArrayList<>(idsByFixture.values())));

                // one failed event in full: the vendor's payload, every attempt and why it failed
                String failedId = idsByFixture.get("iotum/enter_conference");
                JsonNode detail = get(gateway, "/admin/events/" + failedId);
                assertThat(detail.get("id").asText()).isEqualTo(failedId);
                assertThat(detail.get("type").asText()).isEqualTo("participant.joined");
                assertThat(detail.get("vendorEvent").asText()).isEqualTo("enter_conference");
                // the vendor's body as the canonical event carries it: iotum's stringified "payload" already parsed
                JsonNode original = JSON.readTree(bodies.get("iotum/enter_conference"));
                ((com.fasterxml.jackson.databind.node.ObjectNode) original).set("payload", JSON.readTree(original.get("payload").asText()));
                assertThat(detail.get("vendorPayload")).isEqualTo(original);
                assertThat(detail.get("event").get("id").asText()).isEqualTo(failedId);
                assertThat(detail.get("event").get("specversion").asText()).isEqualTo("1.0");
                assertThat(statusOf(detail, "crm")).isEqualTo("dead_lettered");
                assertThat(statusOf(detail, "audit")).isEqualTo("delivered");
                List<JsonNode> crmAttempts = attemptsTo(detail, "crm");
                assertThat(crmAttempts).hasSize(2);
                for (JsonNode a : crmAttempts) {
                    assertThat(a.get("status").asInt()).isEqualTo(500);
                    assertThat(a.get("error").asText()).isEqualTo("HTTP 500");
                    assertThat(a.get("responseBody").asText()).contains("meeting room directory offline");
                    assertThat(a.get("nextRetryAt").isNull()).as("dead-lettered: no next retry").isTrue();
                }
                assertThat(attemptsTo(detail, "audit")).hasSize(1);
                assertThat(attemptsTo(detail, "audit").get(0).get("responseBody").isNull()).isTrue();

                // an event still retrying: its next attempt's time, and its subscription's lag and held events
                String slowId = idsByFixture.get("spaceos/booking.start");
                JsonNode slow = await().atMost(Duration.ofSeconds(10)).until(() -> get(gateway, "/admin/events/" + slowId),
                        d -> "retrying".equals(statusOf(d, "slow")));
                JsonNode slowAttempt = attemptsTo(slow, "slow").get(0);
                assertThat(slowAttempt.get("responseBody").asText()).isEqualTo("busy");
                assertThat(Instant.parse(slowAttempt.get("nextRetryAt").asText()))
                        .isAfter(Instant.parse(slowAttempt.get("time").asText()).plusSeconds(590));
                JsonNode slowHealth = AdminApiIT.subscription(gateway, "slow");
                assertThat(slowHealth.get("held").asInt()).isEqualTo(1);
                assertThat(slowHealth.get("heldBehindRetries").asInt()).isEqualTo(1);
                assertThat(slowHealth.get("lagSeconds").asDouble()).isGreaterThan(0);
                assertThat(slowHealth.get("oldestUnacknowledgedAt").asText()).isNotBlank();
                assertThat(slowHealth.get("successRate").asDouble()).isZero();
                JsonNode crmHealth = AdminApiIT.subscription(gateway, "crm");
                assertThat(crmHealth.get("successRate").asDouble()).as("2 delivered of 8 attempts").isEqualTo(0.25);
                assertThat(crmHealth.get("lagSeconds").asDouble()).isZero();
                assertThat(crmHealth.get("paused").asBoolean()).isFalse();
                String metrics = Http.get(gateway.url("/actuator/prometheus"), Map.of()).text();
                assertThat(metrics).contains("hookbridge_subscription_lag_seconds{subscription=\"slow\"}",
                        "hookbridge_subscription_held_behind_retries{subscription=\"slow\"} 1.0",
                        "hookbridge_subscription_success_ratio{subscription=\"crm\"} 0.25",
                        "hookbridge_subscription_paused{subscription=\"crm\"} 0.0");

                // the receiver is fixed; the meeting's dead letters are counted, then replayed by filter
                crmFailing.set(false);
                JsonNode dryRun = post(gateway, "/admin/subscriptions/crm/replay",
                        "{\"from\":\"dead-letters\",\"subject\":\"" + MEETING + "\",\"source\":\"iotum\",\"dryRun\":true}");
                assertThat(dryRun.get("matched").asInt()).isEqualTo(3);
                assertThat(dryRun.get("replayed").asInt()).isZero();
                assertThat(dryRun.get("dryRun").asBoolean()).isTrue();
                assertThat(AdminApiIT.subscription(gateway, "crm").get("deadLetterDepth").asInt()).as("a dry run moves nothing")
                        .isEqualTo(3);
                // as curl -d sends it: form-urlencoded, the JSON read as it is
                Map<String, String> form = new LinkedHashMap<>(AUTHORIZED);
                form.put("Content-Type", "application/x-www-form-urlencoded");
                Answer asForm = Http.post(gateway.url("/admin/subscriptions/crm/replay"),
                        "{\"subject\":\"another-meeting\",\"dryRun\":true}".getBytes(StandardCharsets.UTF_8), form);
                assertThat(asForm.status()).as(asForm.text()).isEqualTo(200);
                JsonNode none = asForm.json();
                assertThat(none.get("matched").asInt()).isZero();
                JsonNode replayed = post(gateway, "/admin/subscriptions/crm/replay",
                        "{\"from\":\"dead-letters\",\"subject\":\"" + MEETING + "\",\"source\":\"iotum\"}");
                assertThat(replayed.get("replayed").asInt()).isEqualTo(3);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> events(gateway, "subject=" + MEETING + "&status=delivered&subscription=crm").get("events").size() == 3);
                assertThat(events(gateway, "status=dead_lettered").get("events")).isEmpty();
                JsonNode after = get(gateway, "/admin/events/" + failedId);
                assertThat(attemptsTo(after, "crm")).hasSize(3);
                assertThat(attemptsTo(after, "crm").get(2).get("error").isNull()).isTrue();

                // a backfill: pencil events already delivered to audit are sent to it again, by id and by filter
                int auditBefore = receiver.received("/audit").size();
                JsonNode byIdDry = post(gateway, "/admin/subscriptions/audit/replay", "{\"from\":\"events\",\"ids\":[\""
                        + idsByFixture.get("pencil/EVENT_CREATED") + "\",\"no-such-event\"],\"dryRun\":true}");
                assertThat(byIdDry.get("matched").asInt()).isEqualTo(1);
                JsonNode backfillDry = post(gateway, "/admin/subscriptions/audit/replay",
                        "{\"from\":\"events\",\"source\":\"pencil\",\"status\":\"delivered\",\"dryRun\":true}");
                assertThat(backfillDry.get("matched").asInt()).isEqualTo(2);
                JsonNode backfill = post(gateway, "/admin/subscriptions/audit/replay",
                        "{\"from\":\"events\",\"source\":\"pencil\",\"status\":\"delivered\"}");
                assertThat(backfill.get("replayed").asInt()).isEqualTo(2);
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/audit").size() == auditBefore + 2);
                List<String> resent = receiver.received("/audit").subList(auditBefore, auditBefore + 2).stream()
                        .map(r -> r.json().get("id").asText()).toList();
                // two meetings: delivered side by side, so in either order
                assertThat(resent).containsExactlyInAnyOrder(idsByFixture.get("pencil/EVENT_CREATED"), idsByFixture.get("pencil/EVENT_CANCELLED"));

                // paused, a subscription holds its events on its queue; resumed, it delivers them
                JsonNode paused = post(gateway, "/admin/subscriptions/audit/pause", "");
                assertThat(paused.get("paused").asBoolean()).isTrue();
                assertThat(AdminApiIT.subscription(gateway, "audit").get("paused").asBoolean()).isTrue();
                String heldId = postHeldByPausedAudit(gateway, receiver);
                assertThat(AdminApiIT.subscription(gateway, "audit").get("lagSeconds").asDouble()).isGreaterThan(0);
                JsonNode resumed = post(gateway, "/admin/subscriptions/audit/resume", "");
                assertThat(resumed.get("paused").asBoolean()).isFalse();
                assertThat(resumed.get("status").asText()).isEqualTo("Started");
                await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(statusOf(get(gateway, "/admin/events/" + heldId), "audit")));
                assertThat(AdminApiIT.subscription(gateway, "audit").get("paused").asBoolean()).isFalse();
                post(gateway, "/admin/subscriptions/audit/pause", "");
            }

            // the index outlives a restart, and so does a pause
            try (Gateway again = Gateway.start(data, routes.toString())) {
                JsonNode all = events(again, "limit=200");
                assertThat(all.get("events")).hasSize(7);
                assertThat(statusOf(get(again, "/admin/events/" + idsByFixture.get("iotum/enter_conference")), "crm"))
                        .isEqualTo("delivered");
                assertThat(AdminApiIT.subscription(again, "audit").get("paused").asBoolean()).as("paused before the restart").isTrue();
                String heldId = postHeldByPausedAudit(again, receiver);
                JsonNode resumed = post(again, "/admin/subscriptions/audit/resume", "");
                assertThat(resumed.get("status").asText()).isEqualTo("Started");
                await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(statusOf(get(again, "/admin/events/" + heldId), "audit")));
            }
        }
    }

    /** Posts a webhook that the paused subscription "audit" holds on its queue: not delivered, pending in the index. */
    static String postHeldByPausedAudit(Gateway gateway, TestReceiver receiver) throws Exception {
        int auditBefore = receiver.received("/audit").size();
        byte[] body = Fixtures.unique("pencil", Fixtures.read("fixtures/pencil/joinSpace.json"));
        Answer accepted = Http.post(gateway.url("/webhooks/pencil"), body, VendorSigner.headers("pencil", body));
        assertThat(accepted.status()).isEqualTo(202);
        String heldId = accepted.json().get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> AdminApiIT.subscription(gateway, "audit").get("queueDepth").asInt() == 1);
        Thread.sleep(500);
        assertThat(receiver.received("/audit")).as("held on the paused subscription's queue").hasSize(auditBefore);
        assertThat(statusOf(get(gateway, "/admin/events/" + heldId), "audit")).isEqualTo("pending");
        return heldId;
    }

    @Test
    void badInputIsAnswered400NamingTheParameter() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Path routes = new Routes().subscription("crm", Map.of("url", receiver.url("/crm"))).writeTo(work.resolve("routes"));
            try (Gateway gateway = Gateway.start(work.resolve("data"), routes.toString(), "hookbridge.index.enabled=true")) {
                Map<String, String> lists = new LinkedHashMap<>();
                lists.put("status=lost", "status");
                lists.put("since=yesterday", "since");
                lists.put("until=2026-13-01T00:00:00Z", "until");
                lists.put("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "until");
                lists.put("limit=0", "limit");
                lists.put("limit=201", "limit");
                lists.put("limit=ten", "limit");
                lists.put("cursor=abc", "cursor");
                lists.put("cursor=-5", "cursor");
                lists.put("subscription=nope", "subscription");
                lists.put("subjet=1258835", "subjet");
                lists.put("subject=" + "x".repeat(501), "subject");
                for (Map.Entry<String, String> bad : lists.entrySet()) {
                    Answer answer = Http.get(gateway.url("/admin/events?" + bad.getKey()), AUTHORIZED);
                    assertBadRequest(answer, bad.getValue());
                }
                Map<String, String> replays = new LinkedHashMap<>();
                replays.put("{", "body");
                replays.put("[1]", "body");
                replays.put("{\"from\":\"somewhere\"}", "from");
                replays.put("{\"form\":\"events\"}", "form");
                replays.put("{\"from\":\"events\"}", "ids");
                replays.put("{\"from\":\"events\",\"ids\":\"abc\"}", "ids");
                replays.put("{\"from\":\"events\",\"ids\":[1]}", "ids");
                replays.put("{\"dryRun\":\"yes\"}", "dryRun");
                replays.put("{\"status\":\"delivered\"}", "status");
                replays.put("{\"since\":\"now\"}", "since");
                replays.put("{\"source\":7}", "source");
                for (Map.Entry<String, String> bad : replays.entrySet()) {
                    Answer answer = Http.post(gateway.url("/admin/subscriptions/crm/replay"),
                            bad.getKey().getBytes(StandardCharsets.UTF_8), withJson());
                    assertBadRequest(answer, bad.getValue());
                }
                Answer unknownEvent = Http.get(gateway.url("/admin/events/" + URLEncoder.encode("no such event", StandardCharsets.UTF_8)),
                        AUTHORIZED);
                assertThat(unknownEvent.status()).isEqualTo(404);
                assertThat(unknownEvent.json().get("error").asText()).isEqualTo("unknown_event");
                for (String path : List.of("/admin/subscriptions/nope/replay", "/admin/subscriptions/nope/pause",
                        "/admin/subscriptions/nope/resume")) {
                    Answer unknown = Http.post(gateway.url(path), "{}".getBytes(StandardCharsets.UTF_8), withJson());
                    assertThat(unknown.status()).as(path).isEqualTo(404);
                    assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_subscription");
                }
                for (String[] request : List.of(new String[] {"GET", "/admin/events"}, new String[] {"GET", "/admin/events/x"},
                        new String[] {"POST", "/admin/subscriptions/crm/replay"}, new String[] {"POST", "/admin/subscriptions/crm/pause"},
                        new String[] {"POST", "/admin/subscriptions/crm/resume"})) {
                    AdminApiIT.assertUnauthorized(AdminApiIT.send(gateway.url(request[1]), request[0], Map.of()), "missing");
                }
                assertThat(AdminApiIT.subscription(gateway, "crm").get("paused").asBoolean()).as("refused requests change nothing").isFalse();
                // the console and the API description are served without the token; the data behind them is not
                Answer console = Http.get(gateway.url("/console"), Map.of());
                assertThat(console.status()).isEqualTo(200);
                assertThat(console.text()).contains("HookBridge console", "/console/console.js");
                assertThat(Http.get(gateway.url("/console/console.js"), Map.of()).status()).isEqualTo(200);
                Answer swagger = Http.get(gateway.url("/swagger-ui"), Map.of());
                assertThat(swagger.status()).isEqualTo(200);
                for (String asset : List.of("swagger-ui-bundle.js", "swagger-ui.css")) {
                    String path = swagger.text().replaceAll("(?s).*?\"(/webjars/swagger-ui/[^\"]*/" + asset.replace(".", "\\.") + ")\".*", "$1");
                    assertThat(Http.get(gateway.url(path), Map.of()).status()).as(path).isEqualTo(200);
                }
                Answer openapi = Http.get(gateway.url("/openapi.yaml"), Map.of());
                assertThat(openapi.text()).contains("/admin/events:", "/admin/events/{id}:", "/admin/subscriptions/{name}/replay:",
                        "/admin/subscriptions/{name}/pause:", "/admin/subscriptions/{name}/resume:");
            }
        }
    }

    @Test
    void withTheIndexOffTheEventLogSaysSoAndDeadLettersStillReplay() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger(500);
            receiver.answer(r -> TestReceiver.Reply.of(status.get()));
            Path routes = new Routes().subscription("crm", Map.of("url", receiver.url("/crm"), "maxAttempts", "1"))
                    .writeTo(work.resolve("routes"));
            try (Gateway gateway = Gateway.start(work.resolve("data"), routes.toString(), "hookbridge.index.enabled=false")) {
                byte[] body = Fixtures.unique("pencil", Fixtures.read("fixtures/pencil/EVENT_CREATED.json"));
                assertThat(Http.post(gateway.url("/webhooks/pencil"), body, VendorSigner.headers("pencil", body)).status()).isEqualTo(202);
                for (Answer off : List.of(Http.get(gateway.url("/admin/events"), AUTHORIZED),
                        Http.get(gateway.url("/admin/events/anything"), AUTHORIZED),
                        Http.post(gateway.url("/admin/subscriptions/crm/replay"), "{\"from\":\"events\",\"source\":\"pencil\"}"
                                .getBytes(StandardCharsets.UTF_8), withJson()))) {
                    assertThat(off.status()).as(off.text()).isEqualTo(409);
                    assertThat(off.json().get("error").asText()).isEqualTo("index_off");
                    assertThat(off.json().get("detail").asText()).contains("hookbridge.index.enabled=false");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> AdminApiIT.subscription(gateway, "crm").get("deadLetterDepth").asInt() == 1);
                status.set(204);
                Answer replay = Http.post(gateway.url("/admin/subscriptions/crm/replay"), "{\"from\":\"dead-letters\"}"
                        .getBytes(StandardCharsets.UTF_8), withJson());
                assertThat(replay.status()).as(replay.text()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/crm").size() == 2);
                assertThat(java.nio.file.Files.exists(work.resolve("data").resolve("index"))).as("nothing kept for an index that is off").isFalse();
            }
        }
    }

    static void assertBadRequest(Answer answer, String parameter) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_request");
        assertThat(answer.json().get("parameter").asText()).as(answer.text()).isEqualTo(parameter);
        assertThat(answer.json().get("detail").asText()).contains(parameter);
    }

    static Map<String, String> withJson() {
        Map<String, String> headers = new LinkedHashMap<>(AUTHORIZED);
        headers.put("Content-Type", "application/json");
        return headers;
    }

    static JsonNode events(Gateway gateway, String query) {
        return get(gateway, "/admin/events" + (query.isEmpty() ? "" : "?" + query));
    }

    static JsonNode get(Gateway gateway, String path) {
        Answer answer = Http.get(gateway.url(path), AUTHORIZED);
        assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(200);
        return answer.json();
    }

    static JsonNode post(Gateway gateway, String path, String body) {
        Answer answer = Http.post(gateway.url(path), body.getBytes(StandardCharsets.UTF_8), withJson());
        assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(200);
        return answer.json();
    }

    static String statusOf(JsonNode event, String subscription) {
        for (JsonNode s : event.get("statuses")) {
            if (s.get("subscription").asText().equals(subscription)) return s.get("status").asText();
        }
        return null;
    }

    static List<JsonNode> attemptsTo(JsonNode detail, String subscription) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode a : detail.get("attempts")) if (a.get("subscription").asText().equals(subscription)) found.add(a);
        return found;
    }

    static <T> List<T> reversed(List<T> list) {
        java.util.Collections.reverse(list);
        return list;
    }
}
