package io.hookbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hookbridge.HookBridgeApplication;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * CONTRACT section 6, the admin API, against a real gateway and a real receiver: a subscription fails until its
 * events are dead-lettered, the receiver recovers, the dead letters are replayed, and the attempt log tells the
 * whole story, across restarts, within its bounds.
 */
class AdminApiIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "test-admin-token";
    static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + TOKEN);

    @TempDir
    Path work;

    /** Every admin request, as method and path. */
    static final List<String[]> ADMIN_REQUESTS = List.of(
            new String[] {"GET", "/admin/subscriptions"},
            new String[] {"GET", "/admin/subscriptions/crm/dead-letters"},
            new String[] {"POST", "/admin/subscriptions/crm/dead-letters/replay"},
            new String[] {"GET", "/admin/events/some-event-id/attempts"},
            new String[] {"GET", "/admin/no-such-thing"});

    @Test
    void everyAdminRequestNeedsTheBearerToken() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Path routes = new Routes().subscription("crm", Map.of("url", receiver.url("/crm"))).writeTo(work.resolve("routes"));
            try (Gateway gateway = Gateway.start(work.resolve("data"), routes.toString())) {
                String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8));
                for (String[] request : ADMIN_REQUESTS) {
                    assertUnauthorized(send(gateway.url(request[1]), request[0], Map.of()), "missing");
                    assertUnauthorized(send(gateway.url(request[1]), request[0], Map.of("Authorization", "Bearer wrong-token")), "wrong");
                    assertUnauthorized(send(gateway.url(request[1]), request[0], Map.of("Authorization", "Bearer " + TOKEN + "x")), "wrong");
                    assertUnauthorized(send(gateway.url(request[1]), request[0], Map.of("Authorization", basic)), "Bearer");
                    assertUnauthorized(send(gateway.url(request[1]), request[0], Map.of("Authorization", TOKEN)), "Bearer");
                }
                Answer ok = Http.get(gateway.url("/admin/subscriptions"), AUTHORIZED);
                assertThat(ok.status()).as(ok.text()).isEqualTo(200);
                Answer lowercase = Http.get(gateway.url("/admin/subscriptions"), Map.of("Authorization", "bearer " + TOKEN));
                assertThat(lowercase.status()).as("the scheme is case-insensitive").isEqualTo(200);
                Answer unknown = Http.get(gateway.url("/admin/subscriptions/nope/dead-letters"), AUTHORIZED);
                assertThat(unknown.status()).isEqualTo(404);
                assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_subscription");
                assertThat(unknown.json().get("detail").asText()).contains("nope", "crm");
                Answer unknownReplay = send(gateway.url("/admin/subscriptions/nope/dead-letters/replay"), "POST", AUTHORIZED);
                assertThat(unknownReplay.status()).isEqualTo(404);
                assertThat(unknownReplay.json().get("error").asText()).isEqualTo("unknown_subscription");
            }
        }
        try (NoTokenGateway gateway = NoTokenGateway.start(work.resolve("data-no-token"))) {
            for (String[] request : ADMIN_REQUESTS) {
                Answer answer = send(gateway.url(request[1]), request[0], AUTHORIZED);
                assertUnauthorized(answer, "no hookbridge.admin.token");
                assertUnauthorized(send(gateway.url(request[1]), request[0], Map.of("Authorization", "Bearer ")), "no hookbridge.admin.token");
            }
        }
    }

    @Test
    void deadLettersAreListedAndReplayedAndTheAttemptLogKeepsEveryAttempt() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answer(r -> Reply.of(r.path().equals("/flaky") && failing.get() ? 500 : 204));
            Path routes = new Routes()
                    .subscription("flaky", Map.of("url", receiver.url("/flaky"), "sources", "iotum",
                            "maxAttempts", "2", "initialDelay", "50"))
                    .subscription("quiet", Map.of("url", receiver.url("/quiet"), "sources", "pencil"))
                    .writeTo(work.resolve("routes"));
            Path data = work.resolve("data");
            List<String> ids = new ArrayList<>();
            Map<String, JsonNode> answers;
            String firstAttemptsBeforeRestart;
            try (Gateway gateway = Gateway.start(data, routes.toString())) {
                for (String fixture : List.of("conference_start", "enter_conference", "recording_ready")) {
                    byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/" + fixture + ".json"));
                    Answer accepted = Http.post(gateway.url("/webhooks/iotum"), body, VendorSigner.headers("iotum", body));
                    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                    ids.add(accepted.json().get("id").asText());
                }

                // every event fails twice and is dead-lettered
                JsonNode flaky = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> subscription(gateway, "flaky"),
                                // the count follows the dead-letter send by a moment, and the queue's depth its acknowledgement
                                s -> s.get("deadLetterDepth").asLong() == 3 && s.get("deadLettered").asLong() == 3
                                        && s.get("queueDepth").asLong() == 0);
                assertThat(flaky.get("status").asText()).isEqualTo("Started");
                assertThat(flaky.get("deadLettered").asLong()).isEqualTo(3);
                assertThat(flaky.get("failed").asLong()).isEqualTo(6);
                assertThat(flaky.get("retrying").asLong()).isEqualTo(3);
                assertThat(flaky.get("delivered").asLong()).isZero();
                assertThat(flaky.get("queueDepth").asLong()).isZero();
                JsonNode quiet = subscription(gateway, "quiet");
                for (String count : List.of("delivered", "failed", "retrying", "deadLettered", "queueDepth", "deadLetterDepth")) {
                    assertThat(quiet.get(count).asLong()).as("quiet " + count).isZero();
                }

                Answer parked = Http.get(gateway.url("/admin/subscriptions/flaky/dead-letters"), AUTHORIZED);
                assertThat(parked.status()).as(parked.text()).isEqualTo(200);
                assertThat(parked.json().get("subscription").asText()).isEqualTo("flaky");
                assertThat(parked.json().get("total").asLong()).isEqualTo(3);
                Set<String> parkedIds = new HashSet<>();
                for (JsonNode letter : parked.json().get("deadLetters")) {
                    parkedIds.add(letter.get("id").asText());
                    assertThat(letter.get("lastStatus").asInt()).isEqualTo(500);
                    assertThat(letter.get("error").asText()).contains("500");
                    assertThat(letter.get("attempts").asInt()).isEqualTo(2);
                    assertThat(letter.get("source").asText()).isEqualTo("iotum");
                    assertThat(Instant.parse(letter.get("deadLetteredAt").asText())).isBefore(Instant.now().plusSeconds(1));
                    JsonNode event = letter.get("event");
                    assertThat(event.get("id").asText()).isEqualTo(letter.get("id").asText());
                    assertThat(event.get("type").asText()).isEqualTo(letter.get("type").asText());
                    assertThat(event.get("subject").asText()).isEqualTo(letter.get("subject").asText());
                    assertThat(event.get("specversion").asText()).isEqualTo("1.0");
                }
                assertThat(parkedIds).containsExactlyInAnyOrderElementsOf(ids);
                Answer limited = Http.get(gateway.url("/admin/subscriptions/flaky/dead-letters?limit=1"), AUTHORIZED);
                assertThat(limited.json().get("deadLetters")).hasSize(1);
                assertThat(limited.json().get("total").asLong()).isEqualTo(3);

                JsonNode failedAttempts = attempts(gateway, ids.get(0));
                assertThat(failedAttempts).hasSize(2);
                for (int i = 0; i < 2; i++) {
                    JsonNode attempt = failedAttempts.get(i);
                    assertThat(attempt.get("subscription").asText()).isEqualTo("flaky");
                    assertThat(attempt.get("attempt").asInt()).isEqualTo(i + 1);
                    assertThat(attempt.get("status").asInt()).isEqualTo(500);
                    assertThat(attempt.get("error").asText()).isEqualTo("HTTP 500");
                    assertThat(attempt.get("durationMillis").asLong()).isBetween(0L, 10_000L);
                    assertThat(Instant.parse(attempt.get("time").asText())).isBefore(Instant.now().plusSeconds(1));
                }
                assertThat(Instant.parse(failedAttempts.get(1).get("time").asText()))
                        .as("the second attempt after the 50 ms backoff")
                        .isAfterOrEqualTo(Instant.parse(failedAttempts.get(0).get("time").asText()).plusMillis(45));

                // the receiver recovers; the dead letters are put back (held on the queue while the route is stopped)
                failing.set(false);
                CamelContext camel = gateway.bean(CamelContext.class);
                camel.getRouteController().stopRoute("flaky");
                assertThat(subscription(gateway, "flaky").get("status").asText()).isEqualTo("Stopped");
                Answer replay = send(gateway.url("/admin/subscriptions/flaky/dead-letters/replay"), "POST", AUTHORIZED);
                assertThat(replay.status()).as(replay.text()).isEqualTo(200);
                assertThat(replay.json().get("replayed").asInt()).isEqualTo(3);
                JsonNode waiting = subscription(gateway, "flaky");
                assertThat(waiting.get("queueDepth").asLong()).isEqualTo(3);
                assertThat(waiting.get("deadLetterDepth").asLong()).isZero();
                List<Message> queued = browse(gateway.brokerUrl(), "Consumer.flaky.VirtualTopic.hookbridge.events");
                assertThat(queued).hasSize(3);
                for (Message message : queued) {
                    JsonNode event = JSON.readTree(((TextMessage) message).getText());
                    assertThat(ids).contains(message.getStringProperty("hookbridge_id"));
                    assertThat(message.getStringProperty("hookbridge_id")).isEqualTo(event.get("id").asText());
                    assertThat(message.getStringProperty("hookbridge_source")).isEqualTo("iotum");
                    assertThat(message.getStringProperty("hookbridge_type")).isEqualTo(event.get("type").asText());
                    assertThat(message.getStringProperty("hookbridge_subject")).isEqualTo(event.get("subject").asText());
                    assertThat(message.getStringProperty("JMSXGroupID")).as("the subject's message group")
                            .isEqualTo("iotum:" + event.get("subject").asText());
                    assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
                }
                camel.getRouteController().startRoute("flaky");
                JsonNode recovered = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> subscription(gateway, "flaky"), s -> s.get("delivered").asLong() == 3);
                assertThat(recovered.get("deadLetterDepth").asLong()).isZero();
                assertThat(recovered.get("deadLettered").asLong()).isEqualTo(3);
                assertThat(recovered.get("failed").asLong()).isEqualTo(6);
                await().atMost(Duration.ofSeconds(5)).until(() -> subscription(gateway, "flaky").get("queueDepth").asLong() == 0);
                for (String id : ids) {
                    List<TestReceiver.Received> tries = receiver.received("/flaky").stream()
                            .filter(r -> r.json().get("id").asText().equals(id)).toList();
                    assertThat(tries).as("2 failures, then the replayed delivery").hasSize(3);
                }
                Answer empty = Http.get(gateway.url("/admin/subscriptions/flaky/dead-letters"), AUTHORIZED);
                assertThat(empty.json().get("total").asLong()).isZero();
                assertThat(empty.json().get("deadLetters")).isEmpty();
                Answer nothingLeft = send(gateway.url("/admin/subscriptions/flaky/dead-letters/replay"), "POST", AUTHORIZED);
                assertThat(nothingLeft.json().get("replayed").asInt()).isZero();

                answers = new HashMap<>();
                for (String id : ids) {
                    JsonNode all = attempts(gateway, id);
                    assertThat(all).as("every attempt of " + id).hasSize(3);
                    assertThat(all.get(0).get("status").asInt()).isEqualTo(500);
                    assertThat(all.get(1).get("status").asInt()).isEqualTo(500);
                    JsonNode success = all.get(2);
                    assertThat(success.get("subscription").asText()).isEqualTo("flaky");
                    assertThat(success.get("attempt").asInt()).as("a replayed event starts its attempts again").isEqualTo(1);
                    assertThat(success.get("status").asInt()).isEqualTo(204);
                    assertThat(success.get("error").isNull()).isTrue();
                    assertThat(success.get("durationMillis").asLong()).isBetween(0L, 10_000L);
                    answers.put(id, all);
                }
                firstAttemptsBeforeRestart = answers.get(ids.get(0)).toString();
                Answer unknownEvent = Http.get(gateway.url("/admin/events/no-such-event/attempts"), AUTHORIZED);
                assertThat(unknownEvent.status()).isEqualTo(200);
                assertThat(unknownEvent.json().get("id").asText()).isEqualTo("no-such-event");
                assertThat(unknownEvent.json().get("attempts")).isEmpty();
            }

            // the attempt log survives a restart
            try (Gateway gateway = Gateway.start(data, routes.toString())) {
                for (String id : ids) assertThat(attempts(gateway, id)).isEqualTo(answers.get(id));
                assertThat(attempts(gateway, ids.get(0)).toString()).isEqualTo(firstAttemptsBeforeRestart);
            }

            // bounded by count: the oldest beyond max-entries are pruned, at start and while running
            try (Gateway gateway = Gateway.start(data, routes.toString(), "hookbridge.attempts.max-entries=4")) {
                assertThat(totalAttempts(gateway, ids)).isEqualTo(4);
                for (String id : ids) {
                    JsonNode left = attempts(gateway, id);
                    assertThat(left.get(left.size() - 1).get("status").asInt()).as("the newest attempt of each event is kept").isEqualTo(204);
                }
                byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_end.json"));
                String another = Http.post(gateway.url("/webhooks/iotum"), body, VendorSigner.headers("iotum", body)).json().get("id").asText();
                await().atMost(Duration.ofSeconds(10)).until(() -> attempts(gateway, another).size() == 1);
                List<String> all = new ArrayList<>(ids);
                all.add(another);
                assertThat(totalAttempts(gateway, all)).isEqualTo(4);
            }

            // bounded by age
            try (Gateway gateway = Gateway.start(data, routes.toString(), "hookbridge.attempts.retention=1ms")) {
                assertThat(totalAttempts(gateway, ids)).isZero();
            }
        }
    }

    static List<Message> browse(String brokerUrl, String queue) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("hookbridge", "hookbridge", brokerUrl);
        factory.setWatchTopicAdvisories(false);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                List<Message> all = new ArrayList<>();
                for (Object message : Collections.list(browser.getEnumeration())) all.add((Message) message);
                return all;
            }
        }
    }

    static int totalAttempts(Gateway gateway, List<String> ids) {
        int total = 0;
        for (String id : ids) total += attempts(gateway, id).size();
        return total;
    }

    static JsonNode attempts(Gateway gateway, String id) {
        Answer answer = Http.get(gateway.url("/admin/events/" + id + "/attempts"), AUTHORIZED);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().get("id").asText()).isEqualTo(id);
        return answer.json().get("attempts");
    }

    static JsonNode subscription(Gateway gateway, String name) {
        Answer answer = Http.get(gateway.url("/admin/subscriptions"), AUTHORIZED);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        for (JsonNode s : answer.json().get("subscriptions")) {
            if (s.get("name").asText().equals(name)) return s;
        }
        throw new AssertionError("no subscription " + name + " in " + answer.text());
    }

    static void assertUnauthorized(Answer answer, String detail) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(answer.json().get("detail").asText()).contains(detail);
        assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
    }

    static Answer send(String url, String method, Map<String, String> headers) {
        return method.equals("POST") ? Http.post(url, new byte[0], headers) : Http.get(url, headers);
    }

    /** A gateway like {@link Gateway#start} but with no hookbridge.admin.token configured. */
    static final class NoTokenGateway implements AutoCloseable {
        private final ConfigurableApplicationContext context;

        private NoTokenGateway(ConfigurableApplicationContext context) {
            this.context = context;
        }

        static NoTokenGateway start(Path dataDir) {
            List<String> args = new ArrayList<>(List.of("--hookbridge.broker.bind=127.0.0.1:0", "--server.port=0",
                    "--hookbridge.data-dir=" + dataDir, "--hookbridge.routes-dir=src/test/resources/routes/none",
                    "--hookbridge.broker.name=hookbridge-" + java.util.UUID.randomUUID()));
            for (String secret : VendorSigner.secretProperties()) args.add("--" + secret);
            return new NoTokenGateway(new SpringApplicationBuilder(HookBridgeApplication.class).run(args.toArray(String[]::new)));
        }

        String url(String path) {
            return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort() + path;
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
