package io.hookbridge.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.GatewayProcess;
import io.hookbridge.support.Http;
import io.hookbridge.support.JmsProbe;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/** SIGTERM under load: the jar exits in time, answers 503 (or refuses connections) while stopping, and loses nothing. */
class GracefulStopProcessIT {

    @TempDir
    Path work;

    @Test
    void sigtermUnderLoadLosesNothingAndDeadLettersNothing() throws Exception {
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answer(r -> {
                delivered.add(r.header("webhook-id"));
                return new Reply(204, Map.of(), 20);
            });
            Path routes = new Routes().subscription("ledger", Map.of("url", receiver.url("/ledger"), "maxAttempts", "3",
                    "initialDelay", "100")).writeTo(work.resolve("routes"));
            int brokerPort = Gateway.freePort();
            GatewayProcess gateway = new GatewayProcess(work.resolve("data"), routes, Gateway.freePort(), brokerPort);
            try (gateway) {
                gateway.start();
                AtomicBoolean loading = new AtomicBoolean(true);
                ExecutorService clients = Executors.newFixedThreadPool(8);
                for (int c = 0; c < 8; c++) {
                    clients.execute(() -> {
                        while (loading.get()) {
                            byte[] body = Fixtures.unique("spaceos", Fixtures.of("spaceos").get(0).body());
                            try {
                                Http.Answer answer = Http.post(gateway.url("/webhooks/spaceos"), body, VendorSigner.headers("spaceos", body));
                                answers.computeIfAbsent(answer.status(), k -> new AtomicInteger()).incrementAndGet();
                                if (answer.status() == 202) accepted.add(answer.json().get("id").asText());
                            } catch (RuntimeException refused) {
                                answers.computeIfAbsent(0, k -> new AtomicInteger()).incrementAndGet();
                                sleep(20);
                            }
                        }
                    });
                }
                Thread.sleep(4_000);
                long t0 = System.currentTimeMillis();
                int exit = gateway.terminate(Duration.ofSeconds(45));
                long stoppedIn = System.currentTimeMillis() - t0;
                Thread.sleep(500);
                loading.set(false);
                clients.shutdown();
                assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                System.out.printf("SIGTERM: exit %d after %d ms; answers %s; accepted %d, delivered before restart %d%n",
                        exit, stoppedIn, answers, accepted.size(), delivered.size());
                assertThat(exit).as("exited within the shutdown timeout").isNotEqualTo(-1);
                assertThat(answers.keySet()).as("only 202, 503 or a refused connection").isSubsetOf(Set.of(0, 202, 503));

                gateway.start();
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline && !delivered.containsAll(accepted)) Thread.sleep(200);
                assertThat(accepted).isNotEmpty();
                assertThat(accepted.stream().filter(id -> !delivered.contains(id)).toList()).as("accepted, never delivered").isEmpty();
                try (JmsProbe dlq = JmsProbe.onQueue("tcp://127.0.0.1:" + brokerPort, "DLQ.hookbridge.ledger")) {
                    assertThat(dlq.nextMessage(1_000)).as("nothing dead-lettered because of the shutdown").isNull();
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
