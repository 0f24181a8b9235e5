package io.hookbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;

import io.hookbridge.admin.AdminController;
import io.hookbridge.admin.ConfigProblemsController;
import io.hookbridge.broker.BrokerConfiguration.EmbeddedBroker;
import io.hookbridge.jms.PublishQueueRoute;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.ExternalBroker;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/** CONTRACT section 6 from the outside: metrics after a known sequence, health, the OpenAPI description, log lines. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer test-admin-token");

    @TempDir
    Path work;

    Path routes(TestReceiver receiver) {
        return new Routes()
                .subscription("metrics", Map.of("url", receiver.url("/ok"), "sources", "iotum", "types", "session.started"))
                .subscription("metrics-fail", Map.of("url", receiver.url("/fail"), "sources", "iotum", "types", "session.started",
                        "maxAttempts", "2", "initialDelay", "50"))
                .writeTo(work.resolve("routes"));
    }

    @Test
    void prometheusCountsMatchAKnownSequenceAndEachOutcomeIsLoggedOnce(CapturedOutput output) throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answer(r -> Reply.of(r.path().equals("/fail") ? 500 : 204));
            try (Gateway gateway = Gateway.start(work.resolve("data"), routes(receiver).toString())) {
                List<String> ids = new ArrayList<>();
                byte[] first = null;
                for (int i = 0; i < 3; i++) {
                    byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_start.json"));
                    if (first == null) first = body;
                    Answer accepted = post(gateway, "iotum", body, VendorSigner.headers("iotum", body));
                    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                    ids.add(accepted.json().get("id").asText());
                }
                Answer duplicate = post(gateway, "iotum", first, VendorSigner.headers("iotum", first));
                assertThat(duplicate.json().get("duplicate").asBoolean()).isTrue();
                for (int i = 0; i < 2; i++) {
                    byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_start.json"));
                    assertThat(post(gateway, "iotum", body, VendorSigner.headers("iotum", body, "wrong-token")).status()).isEqualTo(401);
                }
                byte[] notJson = "{\"event\": ".getBytes(StandardCharsets.UTF_8);
                assertThat(post(gateway, "iotum", notJson, VendorSigner.headers("iotum", notJson)).status()).isEqualTo(400);
                assertThat(post(gateway, "nope", notJson, Map.of()).status()).isEqualTo(404);

                // over JMS: one vendor body accepted, one message refused
                ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("hookbridge", "hookbridge", gateway.brokerUrl());
                factory.setWatchTopicAdvisories(false);
                try (Connection connection = factory.createConnection();
                     JmsProbe deadLetters = JmsProbe.onQueue(gateway.brokerUrl(), PublishQueueRoute.DEAD_LETTER_QUEUE)) {
                    connection.start();
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = session.createProducer(session.createQueue(PublishQueueRoute.QUEUE));
                    byte[] body = Fixtures.unique("iotum", Fixtures.read("fixtures/iotum/conference_start.json"));
                    TextMessage vendor = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
                    vendor.setStringProperty("hookbridge_source", "iotum");
                    producer.send(vendor);
                    producer.send(session.createTextMessage("not json"));
                    assertThat(deadLetters.nextMessage(10_000)).isNotNull();
                }

                // 4 session.started events: each delivered once to "metrics", each dead-lettered after 2 failures by "metrics-fail"
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Map<String, Double> m = scrape(gateway);
                    return value(m, "hookbridge_deliveries_total", "subscription", "metrics", "outcome", "delivered") == 4
                            && value(m, "hookbridge_deliveries_total", "subscription", "metrics-fail", "outcome", "dead_lettered") == 4;
                });
                Thread.sleep(300); // nothing more should come
                Answer scraped = Http.get(gateway.url("/actuator/prometheus"), Map.of());
                assertThat(scraped.status()).isEqualTo(200);
                assertThat(scraped.header("Content-Type")).startsWith("text/plain");
                Map<String, Double> m = parse(scraped.text());

                assertThat(value(m, "hookbridge_events_received_total", "source", "iotum", "type", "session.started")).isEqualTo(4);
                assertThat(sum(m, "hookbridge_events_received_total")).as("nothing else received").isEqualTo(4);
                assertThat(value(m, "hookbridge_events_rejected_total", "source", "iotum", "reason", "unauthorized")).isEqualTo(2);
                assertThat(value(m, "hookbridge_events_rejected_total", "source", "iotum", "reason", "invalid_payload")).isEqualTo(1);
                assertThat(value(m, "hookbridge_events_rejected_total", "source", "unknown", "reason", "unknown_source")).isEqualTo(1);
                assertThat(value(m, "hookbridge_events_rejected_total", "source", "jms", "reason", "invalid_payload")).isEqualTo(1);
                assertThat(sum(m, "hookbridge_events_rejected_total")).isEqualTo(5);

                assertThat(value(m, "hookbridge_deliveries_total", "subscription", "metrics", "outcome", "delivered")).isEqualTo(4);
                assertThat(value(m, "hookbridge_deliveries_total", "subscription", "metrics", "outcome", "failed")).isZero();
                assertThat(value(m, "hookbridge_deliveries_total", "subscription", "metrics-fail", "outcome", "failed")).isEqualTo(8);
                assertThat(value(m, "hookbridge_deliveries_total", "subscription", "metrics-fail", "outcome", "retrying")).isEqualTo(4);
                assertThat(value(m, "hookbridge_deliveries_total", "subscription", "metrics-fail", "outcome", "dead_lettered")).isEqualTo(4);
                assertThat(value(m, "hookbridge_deliveries_total", "subscription", "metrics-fail", "outcome", "delivered")).isZero();

                assertThat(scraped.text()).contains("# TYPE hookbridge_delivery_latency_seconds histogram");
                assertThat(value(m, "hookbridge_delivery_latency_seconds_count", "subscription", "metrics")).isEqualTo(4);
                assertThat(value(m, "hookbridge_delivery_latency_seconds_bucket", "subscription", "metrics", "le", "+Inf")).isEqualTo(4);
                assertThat(m.keySet().stream().filter(k -> k.startsWith("hookbridge_delivery_latency_seconds_bucket{")).count())
                        .as("histogram buckets").isGreaterThan(10);
                assertThat(value(m, "hookbridge_delivery_latency_seconds_sum", "subscription", "metrics")).isGreaterThan(0);

                // one log line per outcome, naming event, source, type and subscription
                for (String id : ids) {
                    assertThat(lines(output, "id=" + id + " ", "subscription=metrics ", "delivery delivered"))
                            .as("delivered line for " + id).hasSize(1)
                            .allSatisfy(line -> assertThat(line).contains("source=iotum", "type=session.started"));
                    assertThat(lines(output, "id=" + id + " ", "subscription=metrics-fail ", "delivery dead_lettered"))
                            .as("dead-lettered line for " + id).hasSize(1);
                    assertThat(lines(output, "id=" + id + " ", "event accepted")).hasSize(1)
                            .allSatisfy(line -> assertThat(line).contains("source=iotum", "type=session.started"));
                }
            }
        }
    }

    @Test
    void healthIsUpOnlyWhileTheBrokerAndEveryRouteAreUp() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            try (Gateway gateway = Gateway.start(work.resolve("data"), routes(receiver).toString())) {
                Answer up = Http.get(gateway.url("/actuator/health"), Map.of());
                assertThat(up.status()).as(up.text()).isEqualTo(200);
                assertThat(up.json().get("status").asText()).isEqualTo("UP");
                assertThat(up.json().at("/components/broker/status").asText()).isEqualTo("UP");
                assertThat(up.json().at("/components/camelHealth/status").asText()).isEqualTo("UP");

                CamelContext camel = gateway.bean(CamelContext.class);
                for (String route : List.of("metrics", PublishQueueRoute.ROUTE_ID)) {
                    camel.getRouteController().stopRoute(route);
                    Answer down = Http.get(gateway.url("/actuator/health"), ADMIN);
                    assertThat(down.status()).as(route + " stopped: " + down.text()).isEqualTo(503);
                    assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
                    assertThat(down.json().at("/components/camelHealth/status").asText()).isEqualTo("DOWN");
                    assertThat(down.json().at("/components/camelHealth/details").toString()).contains("route:" + route);
                    assertThat(down.json().at("/components/broker/status").asText()).isEqualTo("UP");
                    camel.getRouteController().startRoute(route);
                    Answer again = Http.get(gateway.url("/actuator/health"), Map.of());
                    assertThat(again.status()).as(route + " started again: " + again.text()).isEqualTo(200);
                }

                EmbeddedBroker broker = gateway.bean(EmbeddedBroker.class);
                broker.broker().stop();
                broker.broker().waitUntilStopped();
                long started = System.nanoTime();
                Answer down = Http.get(gateway.url("/actuator/health"), ADMIN);
                assertThat(down.status()).as(down.text()).isEqualTo(503);
                assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
                assertThat(down.json().at("/components/broker/status").asText()).isEqualTo("DOWN");
                assertThat(down.json().at("/components/broker/details/error").asText()).isNotBlank();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered without waiting on the broker")
                        .isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void withAnExternalBrokerHealthFollowsTheBrokersAvailability() throws Exception {
        int port = Gateway.freePort();
        BrokerService external = externalBroker(port);
        try (Gateway gateway = Gateway.start(work.resolve("data"), "src/test/resources/routes/none",
                "hookbridge.broker.url=tcp://127.0.0.1:" + port)) {
            Answer up = Http.get(gateway.url("/actuator/health"), ADMIN);
            assertThat(up.status()).as(up.text()).isEqualTo(200);
            assertThat(up.json().at("/components/broker/status").asText()).isEqualTo("UP");
            assertThat(up.json().at("/components/broker/details/broker").asText()).isEqualTo("external");

            external.stop();
            external.waitUntilStopped();
            Answer down = Http.get(gateway.url("/actuator/health"), ADMIN);
            assertThat(down.status()).as(down.text()).isEqualTo(503);
            assertThat(down.json().at("/components/broker/status").asText()).isEqualTo("DOWN");
            assertThat(down.json().at("/components/broker/details/error").asText()).isNotBlank();

            external = externalBroker(port);
            Answer again = Http.get(gateway.url("/actuator/health"), Map.of());
            assertThat(again.status()).as(again.text()).isEqualTo(200);
        } finally {
            external.stop();
        }
    }

    @Test
    void probesSeparateTheProcessFromTheBrokerAndDetailsNeedTheAdminToken() throws Exception {
        try (TestReceiver receiver = new TestReceiver();
             Gateway gateway = Gateway.start(work.resolve("data"), routes(receiver).toString())) {
            Answer ready = Http.get(gateway.url("/actuator/health/readiness"), Map.of());
            assertThat(ready.status()).as(ready.text()).isEqualTo(200);
            assertThat(ready.json().get("components")).as(ready.text()).isNotNull();
            List<String> checked = new ArrayList<>();
            ready.json().get("components").fieldNames().forEachRemaining(checked::add);
            assertThat(checked).containsExactlyInAnyOrder("readinessState", "broker", "camelHealth", "ingest");
            Answer live = Http.get(gateway.url("/actuator/health/liveness"), Map.of());
            assertThat(live.status()).as(live.text()).isEqualTo(200);
            assertThat(live.json().get("status").asText()).isEqualTo("UP");

            // without the admin token (or with a wrong one): which component is up, never its details
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong"))) {
                Answer anonymous = Http.get(gateway.url("/actuator/health"), headers);
                assertThat(anonymous.status()).isEqualTo(200);
                assertThat(anonymous.json().at("/components/broker/status").asText()).isEqualTo("UP");
                assertThat(anonymous.text()).as("no details: " + headers).doesNotContain("details", "openwire", "storePercentUsage");
            }
            Answer admin = Http.get(gateway.url("/actuator/health"), ADMIN);
            assertThat(admin.json().at("/components/broker/details/broker").asText()).as(admin.text()).isEqualTo("embedded");
            assertThat(admin.json().at("/components/broker/details/openwire").asText()).startsWith("tcp://");

            // a broker outage makes the instance unready, not dead: a liveness probe must not restart it
            EmbeddedBroker broker = gateway.bean(EmbeddedBroker.class);
            broker.broker().stop();
            broker.broker().waitUntilStopped();
            Answer unready = Http.get(gateway.url("/actuator/health/readiness"), ADMIN);
            assertThat(unready.status()).as(unready.text()).isEqualTo(503);
            assertThat(unready.json().at("/components/broker/status").asText()).isEqualTo("DOWN");
            assertThat(unready.json().at("/components/broker/details/error").asText()).isNotBlank();
            Answer stillLive = Http.get(gateway.url("/actuator/health/liveness"), Map.of());
            assertThat(stillLive.status()).as(stillLive.text()).isEqualTo(200);

            Answer info = Http.get(gateway.url("/actuator/info"), Map.of());
            assertThat(info.status()).isEqualTo(200);
            assertThat(info.json().at("/build/version").asText()).as(info.text()).isNotBlank();
            assertThat(info.json().at("/build/artifact").asText()).isEqualTo("hookbridge");
        }
    }

    private BrokerService externalBroker(int port) throws Exception {
        return ExternalBroker.start(work.resolve("external-broker"), port);
    }

    @Test
    void theApplicationServesAnOpenApiDescriptionOfTheAdminApi() throws Exception {
        try (Gateway gateway = Gateway.start(work.resolve("data"), "src/test/resources/routes/none")) {
            Answer answer = Http.get(gateway.url("/openapi.yaml"), Map.of());
            assertThat(answer.status()).as("served without the admin token").isEqualTo(200);
            assertThat(answer.header("Content-Type")).contains("yaml");
            JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(answer.text());
            assertThat(spec.get("openapi").asText()).startsWith("3.");
            assertThat(spec.at("/components/securitySchemes/adminToken/scheme").asText()).isEqualTo("bearer");
            assertThat(spec.at("/security/0").has("adminToken")).isTrue();

            // every admin endpoint is described, with its method, and nothing else is
            Map<String, String> described = new LinkedHashMap<>();
            spec.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> described.put(m.toUpperCase() + " " + p.getKey(), p.getKey())));
            Map<String, String> served = new LinkedHashMap<>();
            for (Class<?> controller : List.of(AdminController.class, io.hookbridge.vendor.VendorsController.class, ConfigProblemsController.class,
                    io.hookbridge.admin.EventLogController.class, io.hookbridge.admin.SubscriptionControlsController.class)) {
                RequestMapping mapping = controller.getAnnotation(RequestMapping.class);
                String prefix = mapping == null ? "" : mapping.path()[0];
                for (Method method : controller.getDeclaredMethods()) {
                    GetMapping get = method.getAnnotation(GetMapping.class);
                    PostMapping post = method.getAnnotation(PostMapping.class);
                    if (get != null) served.put("GET " + prefix + (get.value().length > 0 ? get.value()[0] : get.path()[0]), method.getName());
                    if (post != null) served.put("POST " + prefix + (post.value().length > 0 ? post.value()[0] : post.path()[0]), method.getName());
                }
            }
            assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(served.keySet());
            for (JsonNode path : spec.get("paths")) {
                for (JsonNode operation : path) {
                    assertThat(operation.at("/responses/200").isMissingNode()).isFalse();
                    assertThat(operation.at("/responses/401").isMissingNode()).as("every operation documents 401").isFalse();
                }
            }
        }
    }

    static Answer post(Gateway gateway, String source, byte[] body, Map<String, String> headers) {
        return Http.post(gateway.url("/webhooks/" + source), body, headers);
    }

    static List<String> lines(CapturedOutput output, String... all) {
        return output.getOut().lines().filter(line -> {
            for (String part : all) if (!line.contains(part)) return false;
            return true;
        }).toList();
    }

    static Map<String, Double> scrape(Gateway gateway) {
        return parse(Http.get(gateway.url("/actuator/prometheus"), Map.of()).text());
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** The Prometheus text format as {@code name{label="value",...}} (labels sorted) to value. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) throw new AssertionError("not a Prometheus sample: " + line);
            Map<String, String> labels = new java.util.TreeMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) labels.put(label.group(1), label.group(2));
            }
            samples.put(key(sample.group(1), labels), Double.parseDouble(sample.group(4)));
        }
        return samples;
    }

    /** The one sample with this name whose labels include these; 0 when there is none. */
    static double value(Map<String, Double> samples, String name, String... labelPairs) {
        List<Double> found = new ArrayList<>();
        samples.forEach((key, v) -> {
            if (!key.startsWith(name + "{")) return;
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!key.contains("," + labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"")
                        && !key.contains("{" + labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"")) return;
            }
            found.add(v);
        });
        assertThat(found).as(name + " " + List.of(labelPairs)).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? 0 : found.get(0);
    }

    static double sum(Map<String, Double> samples, String name) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")).mapToDouble(Map.Entry::getValue).sum();
    }

    private static String key(String name, Map<String, String> labels) {
        StringBuilder key = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> key.append(key.charAt(key.length() - 1) == '{' ? "" : ",").append(k).append("=\"").append(v).append('"'));
        return key.append('}').toString();
    }
}
