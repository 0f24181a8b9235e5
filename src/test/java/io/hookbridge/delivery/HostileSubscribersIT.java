package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.jms.Message;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * Receivers that answer 500, 302, 410, hang past the timeout, reset the connection, or answer 2xx only after 9 s:
 * each gets its documented treatment, and a healthy subscriber beside them keeps its latency.
 */
class HostileSubscribersIT {

    @TempDir
    static Path work;

    static TestReceiver receiver;
    static ServerSocket resetter;
    static Gateway gateway;
    static final Map<String, Long> postedAt = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        receiver.answer(r -> switch (r.path()) {
            case "/500" -> Reply.of(500);
            case "/302" -> new Reply(302, Map.of("Location", receiver.url("/redirected")), 0);
            case "/410" -> Reply.of(410);
            case "/hang" -> new Reply(204, Map.of(), 4_000);
            case "/slow-ok" -> new Reply(200, Map.of(), 9_000);
            default -> Reply.of(204);
        });
        resetter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread resets = new Thread(() -> {
            while (!resetter.isClosed()) {
                try (Socket s = resetter.accept()) {
                    s.setSoLinger(true, 0); // close with RST
                    s.getInputStream().read(new byte[512]);
                } catch (IOException ignored) {
                    // closed
                }
            }
        });
        resets.setDaemon(true);
        resets.start();
        Map<String, String> failing = Map.of("types", "vendor.spaceos.*", "maxAttempts", "2", "initialDelay", "100", "timeout", "1000");
        Routes routes = new Routes().subscription("healthy", Map.of("url", receiver.url("/healthy"), "types", "vendor.iotum.*"));
        for (String path : List.of("500", "302", "410", "hang")) {
            Map<String, String> p = new HashMap<>(failing);
            p.put("url", receiver.url("/" + path));
            routes.subscription("hostile-" + path, p);
        }
        routes.subscription("hostile-reset", Map.of("url", "http://127.0.0.1:" + resetter.getLocalPort() + "/reset",
                "types", "vendor.spaceos.*", "maxAttempts", "2", "initialDelay", "100", "timeout", "1000"));
        routes.subscription("slow-ok", Map.of("url", receiver.url("/slow-ok"), "types", "vendor.spaceos.slow"));
        gateway = Gateway.start(work.resolve("data"), routes.writeTo(work.resolve("routes")).toString());
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
        if (resetter != null) resetter.close();
    }

    @Test
    void everyHostileReceiverIsRetriedThenDeadLetteredAndTheHealthyOneKeepsItsLatency() throws Exception {
        long withoutP99 = healthyP99(80, false);

        long withP99 = healthyP99(80, true);

        Map<String, String> expectedError = Map.of("500", "HTTP 500", "302", "HTTP 302", "410", "HTTP 410",
                "hang", "Timeout", "reset", "Exception");
        for (Map.Entry<String, String> hostile : expectedError.entrySet()) {
            try (JmsProbe dlq = JmsProbe.onQueue(gateway.brokerUrl(), "DLQ.hookbridge.hostile-" + hostile.getKey())) {
                Message parked = dlq.nextMessage(30_000);
                assertThat(parked).as("dead letter of hostile-" + hostile.getKey()).isNotNull();
                assertThat(parked.getIntProperty("hookbridge_attempts")).isEqualTo(2);
                assertThat(parked.getStringProperty("hookbridge_error")).as(hostile.getKey()).containsIgnoringCase(hostile.getValue());
                int status = parked.getIntProperty("hookbridge_last_status");
                switch (hostile.getKey()) {
                    case "hang", "reset" -> assertThat(status).isZero();
                    default -> assertThat(status).isEqualTo(Integer.parseInt(hostile.getKey()));
                }
            }
        }
        assertThat(receiver.received("/redirected")).as("redirects are not followed").isEmpty();

        System.out.printf("healthy subscriber p99: %d ms alone, %d ms beside hostile receivers%n", withoutP99, withP99);
        assertThat(withP99).as("healthy p99 beside hostiles (alone: " + withoutP99 + " ms)")
                .isLessThanOrEqualTo(Math.max(3 * withoutP99, withoutP99 + 250));
    }

    @Test
    void aReceiverAnsweringAfterNineSecondsWithinTheTenSecondTimeoutIsDelivered() throws Exception {
        byte[] body = ("{\"event\":\"slow\",\"timestamp\":\"2025-01-15T09:45:00Z\",\"data\":{\"booking_id\":\"bk-slow\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String id = Http.post(gateway.url("/webhooks/spaceos"), body, VendorSigner.headers("spaceos", body)).json().get("id").asText();
        await().atMost(Duration.ofSeconds(25)).until(() -> receiver.received("/slow-ok").size() >= 1);
        Thread.sleep(9_500);
        assertThat(receiver.received("/slow-ok")).as("one attempt, answered 200 after 9 s: delivered, not retried").hasSize(1);
        assertThat(receiver.received("/slow-ok").get(0).json().get("id").asText()).isEqualTo(id);
    }

    /** Posts n iotum events (and, if asked, as many spaceos events for the hostile receivers) and measures the healthy receiver's p99. */
    private long healthyP99(int n, boolean withHostileTraffic) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (withHostileTraffic && i % 8 == 0) {
                byte[] hostile = ("{\"event\":\"device.offline\",\"timestamp\":\"2025-01-15T09:45:00Z\",\"data\":{\"device_id\":\"dev-" + i
                        + "\",\"n\":" + System.nanoTime() + "}}").getBytes(StandardCharsets.UTF_8);
                Http.post(gateway.url("/webhooks/spaceos"), hostile, VendorSigner.headers("spaceos", hostile));
            }
            byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/dialout_status_change.json"));
            long t = System.currentTimeMillis();
            String id = Http.post(gateway.url("/webhooks/iotum"), body, VendorSigner.headers("iotum", body)).json().get("id").asText();
            postedAt.put(id, t);
            ids.add(id);
            Thread.sleep(10);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/healthy").stream()
                .filter(r -> ids.contains(r.json().get("id").asText())).count() >= n);
        List<Long> latencies = receiver.received("/healthy").stream().filter(r -> ids.contains(r.json().get("id").asText()))
                .map(r -> r.at() - postedAt.get(r.json().get("id").asText())).sorted().toList();
        return latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
    }
}
