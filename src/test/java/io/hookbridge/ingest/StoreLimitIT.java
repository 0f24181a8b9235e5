package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Gateway;
import io.hookbridge.support.Http;
import io.hookbridge.support.Http.Answer;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.VendorSigner;

/** The broker's store full (storeUsage with sendFailIfNoSpace): 503 with Retry-After, never a 202; back to 202 once space is freed. */
class StoreLimitIT {

    @TempDir
    Path work;

    @Test
    void aFullStoreAnswers503AndRecoversWhenConsumersCatchUp() throws Exception {
        try (Gateway gateway = Gateway.start(work.resolve("data"), "src/test/resources/routes/none",
                "hookbridge.broker.store-limit=6 mb", "hookbridge.broker.journal-file-length=1mb",
                "hookbridge.broker.cleanup-interval-ms=500")) {
            JmsProbe.consumer(gateway.brokerUrl(), "store-limit-it").close();
            List<String> accepted = new ArrayList<>();
            Answer answer = null;
            for (int i = 0; i < 200; i++) {
                answer = post(gateway, i);
                if (answer.status() != 202) break;
                accepted.add(answer.json().get("id").asText());
            }
            assertThat(answer.status()).as(answer.text()).isEqualTo(503);
            assertThat(answer.json().get("error").asText()).isEqualTo("unavailable");
            assertThat(answer.header("Retry-After")).isNotBlank();
            assertThat(accepted).as("some were accepted before the store filled").isNotEmpty();

            try (JmsProbe events = JmsProbe.consumer(gateway.brokerUrl(), "store-limit-it")) {
                List<String> stored = events.drain(2_000).stream().map(e -> e.get("id").asText()).toList();
                assertThat(stored).as("every 202 is on the broker, nothing more").containsExactlyInAnyOrderElementsOf(accepted);
            }
            Answer recovered = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                recovered = post(gateway, 10_000);
                if (recovered.status() == 202) break;
                Thread.sleep(500);
            }
            assertThat(recovered.status()).as("accepting again once the journal was cleaned up: " + recovered.text()).isEqualTo(202);
        }
    }

    private static Answer post(Gateway gateway, int n) {
        String filler = "x".repeat(200_000);
        byte[] body = ("{\"event\":\"device.status\",\"timestamp\":\"2025-01-15T09:45:00Z\",\"data\":{\"device_id\":\"dev-" + n
                + "-" + System.nanoTime() + "\",\"blob\":\"" + filler + "\"}}").getBytes(StandardCharsets.UTF_8);
        return Http.post(gateway.url("/webhooks/spaceos"), body, VendorSigner.headers("spaceos", body));
    }
}
