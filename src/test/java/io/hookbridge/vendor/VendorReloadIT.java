package io.hookbridge.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;

/**
 * Live reload of {@code hookbridge.vendors-dir} in a running gateway: a vendor file added, edited, broken and
 * removed, with webhooks arriving all along; none is refused or lost, and they are delivered in order.
 */
class VendorReloadIT {

    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer test-admin-token");
    static final String DEMO = """
            id: demo
            name: Demo
            auth:
              scheme: token
              header: X-Demo-Token
            inbound:
              shapes:
                - required:
                    /kind: string
                    /seq: number
                  event: /kind
              eventId: /id
              subject: [/room]
            types:
              opened: session.started
            """;

    @TempDir
    static Path work;

    static Path vendors;
    static TestReceiver receiver;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        vendors = Files.createDirectories(work.resolve("vendors"));
        receiver = new TestReceiver();
        Path routes = new Routes()
                .subscription("demo-events", Map.of("url", receiver.url("/demo"), "sources", "demo"))
                .writeTo(work.resolve("routes"));
        gateway = Gateway.start(work.resolve("data"), routes.toString(), "hookbridge.vendors-dir=" + vendors,
                "hookbridge.sources.demo.secret=demo-token");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
    }

    static Http.Answer post(int seq) {
        byte[] body = ("{\"id\":\"demo-" + seq + "\",\"kind\":\"opened\",\"seq\":" + seq + ",\"room\":\"r1\"}").getBytes(StandardCharsets.UTF_8);
        return Http.post(gateway.url("/webhooks/demo"), body, Map.of("Content-Type", "application/json", "X-Demo-Token", "demo-token"));
    }

    static JsonNode admin() {
        return Http.get(gateway.url("/admin/vendors"), ADMIN).json();
    }

    @Test
    void addEditBreakAndRemoveAVendorWhileWebhooksArrive() throws Exception {
        assertThat(post(0).status()).as("no vendor demo yet").isEqualTo(404);
        assertThat(admin().get("problems")).isEmpty();

        Files.writeString(vendors.resolve("demo.yaml"), DEMO);
        await().atMost(Duration.ofSeconds(15)).until(() -> post(1).status() == 202);
        assertThat(admin().get("vendors").findValuesAsText("id")).contains("pencil", "demo");

        // webhooks keep arriving, one after another, while the file is edited, broken and mended
        List<Integer> refused = new CopyOnWriteArrayList<>();
        List<Integer> accepted = new CopyOnWriteArrayList<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            for (int seq = 2; sending.get() && seq < 100_000; seq++) {
                Http.Answer answer = post(seq);
                if (answer.status() == 202) accepted.add(seq);
                else refused.add(seq);
            }
        });
        sender.start();
        try {
            Files.writeString(vendors.resolve("demo.yaml"), DEMO.replace("opened: session.started", "opened: session.ended"));
            await().atMost(Duration.ofSeconds(15)).until(() -> "session.ended".equals(post(1_000_000).json().path("type").asText()));

            Files.writeString(vendors.resolve("demo.yaml"), DEMO.replace("scheme: token", "scheme: tokn"));
            await().atMost(Duration.ofSeconds(15)).until(() -> !admin().get("problems").isEmpty());
            String problem = admin().get("problems").get(0).asText();
            assertThat(problem).isEqualTo(vendors.resolve("demo.yaml") + ":4: unknown auth.scheme 'tokn' (known: bearer, token,"
                    + " hmac-sha256, hmac-sha256-hex, hmac-sha256-base64, standard-webhooks, timestamped-hmac, attendee)");
            JsonNode health = Http.get(gateway.url("/actuator/health"), ADMIN).json(); // details: for the admin token only
            assertThat(health.at("/components/vendors/details/problems/0").asText()).isEqualTo(problem);
            Http.Answer stillServed = post(1_000_001);
            assertThat(stillServed.status()).as("the previous definition keeps serving").isEqualTo(202);
            assertThat(stillServed.json().get("type").asText()).isEqualTo("session.ended");

            Files.writeString(vendors.resolve("demo.yaml"), DEMO);
            await().atMost(Duration.ofSeconds(15)).until(() -> admin().get("problems").isEmpty());
            assertThat(post(1_000_002).json().get("type").asText()).isEqualTo("session.started");
        } finally {
            sending.set(false);
            sender.join();
        }
        assertThat(refused).as("no webhook refused while the vendor file changed").isEmpty();
        assertThat(accepted).hasSizeGreaterThan(5);

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/demo").size() >= accepted.size() + 4);
        List<Integer> delivered = receiver.received("/demo").stream()
                .map(r -> r.json().at("/data/vendor/payload/seq").asInt()).filter(seq -> seq >= 2 && seq < 100_000).toList();
        assertThat(delivered).as("every accepted webhook delivered once, in order").isEqualTo(accepted);

        Files.delete(vendors.resolve("demo.yaml"));
        await().atMost(Duration.ofSeconds(15)).until(() -> post(2_000_000).status() == 404);
        assertThat(admin().get("vendors").findValuesAsText("id")).doesNotContain("demo");
    }
}
