package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.ExternalBroker;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.VendorSigner;

/** What 202 promises: the event is on disk before the answer, ids are remembered across restarts, no broker means 503. */
class DurabilityIT {

    private static final String NO_ROUTES = "src/test/resources/routes/none";

    @TempDir
    Path dataDir;

    @Test
    void acceptedEventsAndTheirIdsSurviveARestart() throws Exception {
        byte[] body = Fixtures.unique("spaceos", Fixtures.of("spaceos").get(0).body());
        String id;
        try (Gateway gateway = Gateway.start(dataDir, NO_ROUTES)) {
            // the consumer queue must exist before the event is published to the virtual topic
            JmsProbe.consumer(gateway.brokerUrl(), "restart-it").close();
            Answer first = Http.post(gateway.url("/webhooks/spaceos"), body, VendorSigner.headers("spaceos", body));
            assertThat(first.status()).isEqualTo(202);
            assertThat(first.json().get("duplicate").asBoolean()).isFalse();
            id = first.json().get("id").asText();
        }
        try (Gateway gateway = Gateway.start(dataDir, NO_ROUTES)) {
            Answer again = Http.post(gateway.url("/webhooks/spaceos"), body, VendorSigner.headers("spaceos", body));
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.json().get("duplicate").asBoolean()).as("dedup survives the restart").isTrue();
            assertThat(again.json().get("id").asText()).isEqualTo(id);
            try (JmsProbe events = JmsProbe.consumer(gateway.brokerUrl(), "restart-it")) {
                List<JsonNode> stored = events.drain(1000);
                assertThat(stored).as("stored once, kept in KahaDB across the restart").hasSize(1);
                assertThat(stored.get(0).get("id").asText()).isEqualTo(id);
            }
        }
    }

    @Test
    void withTheExternalBrokerDownIngestAnswers503AndRecoversWhenItReturns() throws Exception {
        int port = freePort();
        BrokerService external = externalBroker(port);
        String url = "tcp://127.0.0.1:" + port;
        try (Gateway gateway = Gateway.start(dataDir, NO_ROUTES, "hookbridge.broker.url=" + url,
                "hookbridge.broker.send-timeout=3s")) {
            JmsProbe.consumer(url, "broker-down-it").close();
            assertThat(post(gateway).status()).isEqualTo(202);

            external.stop();
            external.waitUntilStopped();
            List<Answer> whileDown = new ArrayList<>();
            for (int i = 0; i < 3; i++) whileDown.add(post(gateway));
            for (Answer answer : whileDown) {
                assertThat(answer.status()).as(answer.text()).isEqualTo(503);
                assertThat(answer.json().get("error").asText()).isEqualTo("unavailable");
                assertThat(answer.header("Retry-After")).isNotBlank();
            }

            external = externalBroker(port);
            Answer afterwards = post(gateway);
            assertThat(afterwards.status()).as(afterwards.text()).isEqualTo(202);
            try (JmsProbe events = JmsProbe.consumer(url, "broker-down-it")) {
                assertThat(events.drain(1000)).as("the first and the last event, none of the refused ones").hasSize(2);
            }
        } finally {
            external.stop();
        }
    }

    private static Answer post(Gateway gateway) {
        byte[] body = Fixtures.unique("iotum", Fixtures.of("iotum").get(0).body());
        return Http.post(gateway.url("/webhooks/iotum"), body, VendorSigner.headers("iotum", body));
    }

    private BrokerService externalBroker(int port) throws Exception {
        return ExternalBroker.start(dataDir.resolve("external-broker"), port);
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
