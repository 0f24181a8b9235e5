package io.hookbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.VendorSigner;

/**
 * Live reload of routes/: while the gateway runs and webhooks keep coming, a subscription file is added, its URL
 * edited, broken (refused with file and line in the log, the admin API and health; the previous version keeps
 * delivering) and removed. No event is lost and one subject's events arrive in the order they were sent.
 */
class RoutesReloadIT {

    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer test-admin-token");

    @TempDir
    static Path work;

    static TestReceiver receiver;
    static Gateway gateway;
    static Path routes;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        routes = Files.createDirectories(work.resolve("routes"));
        gateway = Gateway.start(work.resolve("data"), routes.toString());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
    }

    static String subscription(String path, String format) {
        return """
                - templatedRoute:
                    routeTemplateRef: webhook-subscription
                    routeId: crm
                    parameters:
                      - name: name
                        value: crm
                      - name: url
                        value: "%s"
                      - name: sources
                        value: iotum
                      - name: format
                        value: %s
                """.formatted(receiver.url(path), format);
    }

    @Test
    void addEditBreakAndRemoveASubscriptionWhileWebhooksKeepComing() throws Exception {
        RoutesDirectory directory = gateway.bean(RoutesDirectory.class);
        Path file = routes.resolve("crm.yaml");

        // add: deliveries start
        Files.writeString(file, subscription("/first", "cloudevents"));
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.subscriptionNames().contains("crm"));
        List<String> sent = new CopyOnWriteArrayList<>();
        sent.add(post());
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/first").size() == 1);

        // edit the URL while one subject's webhooks keep coming: every event arrives, in order, at one URL or the other
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 30; i++) {
                sent.add(post());
                sleep(100);
            }
        });
        sender.start();
        sleep(1000);
        Files.writeString(file, subscription("/second", "cloudevents"));
        sender.join();
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredIds().containsAll(sent));
        assertThat(receiver.received("/second")).as("the edited URL is in use").isNotEmpty();
        List<String> firstDeliveries = deliveredIds().stream().distinct().toList();
        assertThat(firstDeliveries).as("one subject's events, in the order sent").isEqualTo(sent);

        // break it: refused with file and line; the previous version keeps delivering
        Files.writeString(file, subscription("/third", "zoom"));
        String expected = file + ":12: unknown format 'zoom'";
        await().atMost(Duration.ofSeconds(30)).until(() -> !directory.problems().isEmpty());
        assertThat(directory.problems()).extracting(RouteProblem::toString).singleElement().asString().startsWith(expected);
        JsonNode problems = Http.get(gateway.url("/admin/config/problems"), ADMIN).json();
        assertThat(problems.at("/routes/0/message").asText()).startsWith(expected);
        assertThat(problems.at("/routes/0/line").asInt()).isEqualTo(12);
        JsonNode health = Http.get(gateway.url("/actuator/health"), ADMIN).json(); // details: for the admin token only
        assertThat(health.at("/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/routes/details/problems/0").asText()).startsWith(expected);
        int before = receiver.received("/second").size();
        String afterBreak = post();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received("/second").size() > before);
        assertThat(receiver.received("/second").get(before).json().get("id").asText()).isEqualTo(afterBreak);
        assertThat(receiver.received("/third")).isEmpty();

        // remove it: the subscription stops, the problem is gone
        Files.delete(file);
        await().atMost(Duration.ofSeconds(30)).until(() -> directory.subscriptionNames().isEmpty());
        assertThat(directory.problems()).isEmpty();
        assertThat(gateway.bean(org.apache.camel.CamelContext.class).getRoute("crm")).isNull();
        int delivered = receiver.received().size();
        post();
        sleep(2000);
        assertThat(receiver.received()).hasSize(delivered);
    }

    private static List<String> deliveredIds() {
        List<String> ids = new ArrayList<>();
        receiver.received().stream().filter(r -> r.path().equals("/first") || r.path().equals("/second"))
                .forEach(r -> ids.add(r.json().get("id").asText()));
        return ids;
    }

    /** Posts an iotum event of one conference (one subject); returns its canonical event id. */
    private static String post() {
        byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/enter_conference.json"));
        Http.Answer answer = Http.post(gateway.url("/webhooks/iotum"), body, VendorSigner.headers("iotum", body));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer.json().get("id").asText();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
