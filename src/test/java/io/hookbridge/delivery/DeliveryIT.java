package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * CONTRACT section 4 end to end: webhooks in over HTTP, subscriptions from YAML routes, deliveries to a real
 * local receiver that fails, throttles and recovers; dead letters read back over JMS.
 */
class DeliveryIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CE_SECRET = "whsec_" + Base64.getEncoder().encodeToString("delivery-it-signing-key-0123456".getBytes(StandardCharsets.UTF_8));
    static final String CE_NEXT_SECRET = "whsec_" + Base64.getEncoder().encodeToString("delivery-it-rotated-key-6543210".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path work;

    static TestReceiver receiver;
    static Gateway gateway;
    static int gatewayPort;

    /** Per event id, how many times /ordered has seen it; the first try of every third event fails. */
    static final Map<String, AtomicInteger> orderedTries = new ConcurrentHashMap<>();
    static final List<String[]> orderedDelivered = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        receiver.answer(DeliveryIT::behaviour);
        gatewayPort = Gateway.freePort();
        Routes routes = new Routes()
                .subscription("ce", Map.of("url", receiver.url("/ce"), "secret", CE_SECRET + " " + CE_NEXT_SECRET, "initialDelay", "200"))
                .subscription("failing", Map.of("url", receiver.url("/fail"), "types", "session.*", "sources", "spaceos",
                        "maxAttempts", "3", "initialDelay", "100", "backoffMultiplier", "2"))
                .subscription("filtered", Map.of("url", receiver.url("/filtered"), "types", "participant.*", "sources", "iotum"))
                .subscription("ordered", Map.of("url", receiver.url("/ordered"), "sources", "iotum", "types", "vendor.iotum.*",
                        "initialDelay", "50", "maxDelay", "200", "maxAttempts", "20"))
                .subscription("throttled", Map.of("url", receiver.url("/throttled"), "sources", "recordings", "types", "vendor.recordings.*",
                        "initialDelay", "50", "maxAttempts", "5"));
        for (String target : VendorSigner.SOURCES) {
            List<String> others = new ArrayList<>(VendorSigner.SOURCES);
            others.remove(target);
            routes.subscription("to-" + target, Map.of("url", receiver.url("/bridge/" + target), "format", target, "types", "session.ended",
                    "sources", String.join(",", others), "secret", VendorSigner.SECRETS.get(target)));
        }
        Path routesDir = routes.writeTo(work.resolve("routes"));
        gateway = Gateway.start(work.resolve("data"), routesDir.toString(), "server.port=" + gatewayPort);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
    }

    static Reply behaviour(TestReceiver.Received request) {
        switch (request.path()) {
            case "/fail":
                return Reply.of(500);
            case "/ordered": {
                JsonNode payload = request.json().at("/data/vendor/payload/payload");
                String id = request.json().get("id").asText();
                int tries = orderedTries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                int seq = payload.get("seq").asInt();
                if (tries == 1 && seq % 3 == 0) return Reply.of(500);
                if (tries == 1 && seq % 7 == 0) return new Reply(503, Map.of("Retry-After", "1"), 0);
                orderedDelivered.add(new String[] {payload.get("conference_id").asText(), String.valueOf(seq)});
                return Reply.of(200);
            }
            case "/throttled": {
                boolean first = receiver.received("/throttled").stream()
                        .filter(r -> r.json().get("id").asText().equals(request.json().get("id").asText())).count() == 1;
                boolean slowLane = "slow".equals(request.json().path("subject").asText());
                if (first && slowLane) return new Reply(429, Map.of("Retry-After", "3"), 0);
                return Reply.of(204);
            }
            default:
                return Reply.of(204);
        }
    }

    Answer post(String source, byte[] body) {
        return Http.post(gateway.url("/webhooks/" + source), body, VendorSigner.headers(source, body));
    }

    @Test
    void cloudEventsAreSignedPerStandardWebhooksWithOneSignaturePerActiveSecret() throws Exception {
        byte[] body = Fixtures.unique("pencil", Fixtures.read("fixtures/pencil/joinSpace.json"));
        String id = post("pencil", body).json().get("id").asText();
        TestReceiver.Received delivered = awaitOne("/ce", id);

        assertThat(delivered.header("content-type")).startsWith("application/cloudevents+json");
        assertThat(delivered.header("webhook-id")).isEqualTo(id);
        String timestamp = delivered.header("webhook-timestamp");
        assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        byte[] signed = (id + "." + timestamp + "." + new String(delivered.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        for (String secret : List.of(CE_SECRET, CE_NEXT_SECRET)) {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            String expected = "v1," + Base64.getEncoder().encodeToString(VendorSigner.hmac(key, signed));
            assertThat(delivered.header("webhook-signature").split(" ")).as("signed with " + secret).contains(expected);
        }
        JsonNode event = delivered.json();
        assertThat(event.get("type").asText()).isEqualTo("participant.joined");
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
    }

    @Test
    void filtersSelectByTypeGlobAndSource() throws Exception {
        byte[] joined = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/enter_conference.json"));
        byte[] started = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_start.json"));
        byte[] pencilJoined = Fixtures.unique("pencil", Fixtures.read("fixtures/pencil/joinSpace.json"));
        String wanted = post("iotum", joined).json().get("id").asText();
        String otherType = post("iotum", started).json().get("id").asText();
        String otherSource = post("pencil", pencilJoined).json().get("id").asText();
        awaitOne("/filtered", wanted);
        awaitOne("/ce", otherType);
        awaitOne("/ce", otherSource);
        assertThat(ids("/filtered")).contains(wanted).doesNotContain(otherType, otherSource);
    }

    @Test
    void exhaustedEventsAreDeadLetteredWithTheLastStatusAndError() throws Exception {
        byte[] body = Fixtures.unique("spaceos", Fixtures.read("fixtures/spaceos/seed-booking.start.json"));
        String id = post("spaceos", body).json().get("id").asText();
        try (JmsProbe dlq = JmsProbe.onQueue(gateway.brokerUrl(), "DLQ.hookbridge.failing")) {
            Message parked = dlq.nextMessage(15_000);
            assertThat(parked).as("dead-lettered").isNotNull();
            assertThat(parked.getStringProperty("hookbridge_id")).isEqualTo(id);
            assertThat(parked.getIntProperty("hookbridge_last_status")).isEqualTo(500);
            assertThat(parked.getStringProperty("hookbridge_error")).contains("500");
            assertThat(parked.getIntProperty("hookbridge_attempts")).isEqualTo(3);
            assertThat(JSON.readTree(((TextMessage) parked).getText()).get("id").asText()).isEqualTo(id);
        }
        List<TestReceiver.Received> attempts = receiver.received("/fail").stream()
                .filter(r -> r.json().get("id").asText().equals(id)).toList();
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(1).at() - attempts.get(0).at()).as("first backoff").isGreaterThanOrEqualTo(90);
        assertThat(attempts.get(2).at() - attempts.get(1).at()).as("doubled").isGreaterThanOrEqualTo(190);
    }

    @Test
    void eachMeetingsEventsArriveInOrderWhileTheReceiverFailsNowAndThen() throws Exception {
        int meetings = 6;
        int perMeeting = 15;
        for (int seq = 0; seq < perMeeting; seq++) {
            for (int m = 0; m < meetings; m++) {
                String payload = "{\"conference_id\":" + (900000 + m) + ",\"host_id\":61803,\"seq\":" + seq + "}";
                String body = "{\"event\":\"ordering_probe\",\"payload\":" + JSON.writeValueAsString(payload)
                        + ",\"timestamp\":\"2025-01-15T10:00:" + String.format("%02d", seq) + "Z\"}";
                assertThat(post("iotum", body.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(202);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> orderedDelivered.size() >= meetings * perMeeting);
        Map<String, List<Integer>> byMeeting = new LinkedHashMap<>();
        for (String[] d : orderedDelivered) byMeeting.computeIfAbsent(d[0], k -> new ArrayList<>()).add(Integer.parseInt(d[1]));
        assertThat(byMeeting).hasSize(meetings);
        for (Map.Entry<String, List<Integer>> meeting : byMeeting.entrySet()) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perMeeting; i++) expected.add(i);
            assertThat(meeting.getValue()).as("meeting " + meeting.getKey() + " in order, each once").isEqualTo(expected);
        }
        assertThat(orderedTries.values().stream().filter(t -> t.get() > 1).count()).as("the receiver did fail some").isGreaterThan(5);
    }

    @Test
    void aWaitingRetryDoesNotHoldUpOtherSubjects() throws Exception {
        String slow = post("recordings", recordingsEvent("slow", 1)).json().get("id").asText();
        List<String> fast = new ArrayList<>();
        for (int i = 0; i < 5; i++) fast.add(post("recordings", recordingsEvent("fast-" + i, i)).json().get("id").asText());
        for (String id : fast) awaitOne("/throttled", id);
        List<TestReceiver.Received> slowAttempts = await().atMost(Duration.ofSeconds(15))
                .until(() -> attemptsOf("/throttled", slow), a -> a.size() >= 2);
        long retriedAt = slowAttempts.get(1).at();
        assertThat(retriedAt - slowAttempts.get(0).at()).as("Retry-After: 3 honoured").isGreaterThanOrEqualTo(2900);
        for (String id : fast) {
            assertThat(attemptsOf("/throttled", id).get(0).at()).as("other subjects went ahead").isLessThan(retriedAt);
        }
        // the retry is HookBridge's own, recorded as a second attempt; the HTTP client does not retry a 429 itself
        List<Integer> logged = await().atMost(Duration.ofSeconds(5)).until(() -> throttledStatuses(slow), a -> a.size() >= 2);
        assertThat(logged).containsExactly(429, 204);
        assertThat(attemptsOf("/throttled", slow)).as("requests the receiver saw").hasSize(2);
        CamelContext camel = gateway.bean(CamelContext.class);
        for (String scheme : List.of("http", "https")) { // no TLS receiver here: the https component checked as configured
            assertThat(camel.getComponent(scheme, HttpComponent.class).isAutomaticRetriesDisabled()).as(scheme).isTrue();
        }
    }

    /** The statuses of the subscription "throttled"'s attempts at an event, in the attempt log (admin API). */
    static List<Integer> throttledStatuses(String eventId) {
        Answer answer = Http.get(gateway.url("/admin/events/" + eventId + "/attempts"), Map.of("Authorization", "Bearer test-admin-token"));
        List<Integer> statuses = new ArrayList<>();
        for (JsonNode attempt : answer.json().path("attempts")) {
            if (attempt.path("subscription").asText().equals("throttled")) statuses.add(attempt.path("status").asInt());
        }
        return statuses;
    }

    @Test
    void bridgedEventsAreAcceptedByEachVendorsOwnVerifier() throws Exception {
        Map<String, String> subjects = new HashMap<>();
        for (String source : VendorSigner.SOURCES) {
            Fixtures.Fixture ended = Fixtures.of(source).stream()
                    .filter(f -> f.canonicalType().equals("session.ended")).findFirst().orElseThrow();
            assertThat(post(source, Fixtures.unique(source, ended.body())).status()).isEqualTo(202);
            subjects.put(source, ended.subject());
        }
        // each original is bridged to the 4 other vendors' formats; each bridged request, posted back unchanged
        // to /webhooks/<vendor>, must pass that vendor's own verifier and normalize to the same type and subject
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().stream()
                .filter(r -> r.path().startsWith("/bridge/")).count() >= 20);
        try (JmsProbe events = JmsProbe.consumer(gateway.brokerUrl(), "bridge-it")) {
            List<String> expectedSubjects = new ArrayList<>();
            for (TestReceiver.Received bridged : receiver.received().stream().filter(r -> r.path().startsWith("/bridge/")).toList()) {
                String target = bridged.path().substring("/bridge/".length());
                Map<String, String> headers = new HashMap<>();
                bridged.headers().forEach((k, v) -> {
                    if (!List.of("host", "content-length", "connection", "user-agent", "accept-encoding").contains(k)) headers.put(k, v);
                });
                Answer answer = Http.post(gateway.url("/webhooks/" + target), bridged.body(), headers);
                assertThat(answer.status()).as(target + " accepts " + new String(bridged.body(), StandardCharsets.UTF_8)).isEqualTo(202);
                assertThat(answer.json().get("type").asText()).isEqualTo("session.ended");
                JsonNode payload = target.equals("iotum") ? JSON.readTree(bridged.json().get("payload").asText()) : bridged.json();
                String origin = payload.findValue("hookbridge").path("source").asText();
                expectedSubjects.add(target + " " + subjects.get(origin));
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < expectedSubjects.size(); i++) {
                JsonNode event = events.next(5000);
                assertThat(event).isNotNull();
                seen.add(event.get("source").asText().substring("/sources/".length()) + " " + event.path("subject").asText());
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(expectedSubjects);
            assertThat(expectedSubjects).hasSize(20).doesNotContain("pencil null");
        }
    }

    static byte[] recordingsEvent(String meeting, int n) {
        return ("{\"event\":\"meeting.participant_probe\",\"timestamp\":\"2024-01-15T10:30:0" + n + "Z\",\"data\":{\"meeting\":{\"id\":\""
                + meeting + "\"},\"n\":" + System.nanoTime() + "}}").getBytes(StandardCharsets.UTF_8);
    }

    static List<TestReceiver.Received> attemptsOf(String path, String id) {
        return receiver.received(path).stream().filter(r -> r.json().get("id").asText().equals(id)).toList();
    }

    static List<String> ids(String path) {
        return receiver.received(path).stream().map(r -> r.json().get("id").asText()).toList();
    }

    static TestReceiver.Received awaitOne(String path, String id) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> attemptsOf(path, id), l -> !l.isEmpty()).get(0);
    }
}
