package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * Every file of routes/examples/, as written (only the loopback receiver addresses point at this test's
 * receiver), loaded together into one gateway, each exercised with a real signed webhook.
 */
class ExamplesIT {

    static final Path EXAMPLES = Path.of("routes/examples");

    @TempDir
    static Path work;

    static TestReceiver receiver;
    static Gateway gateway;
    static final AtomicInteger archiveFailures = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        receiver.answer(request -> {
            // the archive fails its first call: Camel's error handler redelivers
            if (request.path().equals("/archive") && archiveFailures.getAndIncrement() == 0) return Reply.of(503);
            return Reply.of(204);
        });
        Path routes = Files.createDirectories(work.resolve("routes"));
        for (Path example : RoutesDirectory.routeFiles(EXAMPLES)) {
            String text = Files.readString(example).replaceAll("http://127\\.0\\.0\\.1:91\\d\\d", receiver.url(""));
            Files.writeString(routes.resolve(example.getFileName()), text);
        }
        gateway = Gateway.start(work.resolve("data"), routes.toString());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
    }

    @Test
    void everyExampleIsLoaded() {
        assertThat(RoutesDirectory.routeFiles(EXAMPLES)).hasSize(6);
        assertThat(gateway.bean(RoutesDirectory.class).subscriptionNames())
                .containsExactly("attendee-to-pencil", "huddle-to-iotum", "iotum-to-cloudevents", "recordings-to-spaceos");
        assertThat(gateway.bean(org.apache.camel.CamelContext.class).getRoute("partner-queue")).isNotNull();
        assertThat(gateway.bean(org.apache.camel.CamelContext.class).getRoute("recordings-archive")).isNotNull();
    }

    @Test
    void attendeeToPencil() {
        post("attendee", "fixtures/attendee/bot.state_change-meeting_ended.json");
        TestReceiver.Received pencil = awaitOne("/pencil-webhooks");
        assertThat(pencil.json().path("eventType").asText()).isEqualTo("SESSION_ENDED");
    }

    @Test
    void iotumToCloudEvents() {
        post("iotum", "fixtures/iotum/enter_conference.json");
        TestReceiver.Received event = awaitOne("/cloudevents");
        assertThat(event.header("content-type")).startsWith("application/cloudevents+json");
        assertThat(event.header("webhook-signature")).startsWith("v1,");
        assertThat(event.json().path("type").asText()).isEqualTo("participant.joined");
    }

    @Test
    void recordingsToSpaceos() {
        post("recordings", "fixtures/recordings/meeting.started.json");
        TestReceiver.Received booking = awaitOne("/spaceos-webhooks");
        assertThat(booking.json().path("event").asText()).isEqualTo("booking.start");
    }

    @Test
    void anyToAJmsQueue() throws Exception {
        try (JmsProbe queue = JmsProbe.onQueue(gateway.brokerUrl(), "partner.meeting-events")) {
            post("spaceos", "fixtures/spaceos/booking.start.json");
            // other tests' events arrive on the queue too: look for this one
            List<JsonNode> seen = new java.util.ArrayList<>();
            JsonNode event;
            while ((event = queue.next(15_000)) != null && !event.path("source").asText().endsWith("spaceos")) seen.add(event);
            assertThat(event).as("seen before: %s", seen).isNotNull();
            assertThat(event.path("type").asText()).isEqualTo("session.started");
        }
    }

    @Test
    void jsonpathFilterAndCamelsErrorHandler() {
        post("recordings", "fixtures/recordings/meeting.ended.json");
        post("recordings", "fixtures/recordings/recording.processing.completed.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/archive").size() >= 2);
        List<TestReceiver.Received> archived = receiver.received("/archive");
        // the first call failed (503) and was redelivered; only recording.ready passed the filter
        assertThat(archived).hasSize(2).allSatisfy(r -> assertThat(r.json().path("type").asText()).isEqualTo("recording.ready"));
        assertThat(archived.get(0).body()).isEqualTo(archived.get(1).body());
    }

    private static TestReceiver.Received awaitOne(String path) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received(path).isEmpty());
        return receiver.received(path).get(0);
    }

    private static void post(String source, String fixture) {
        byte[] body = Fixtures.unique(source, Fixtures.read(fixture));
        Http.Answer answer = Http.post(gateway.url("/webhooks/" + source), body, VendorSigner.headers(source, body));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    }
}
