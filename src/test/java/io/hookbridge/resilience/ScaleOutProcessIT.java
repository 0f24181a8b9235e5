package io.hookbridge.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.ops.CrashPoints;
import io.hookbridge.support.Fixtures;
import io.hookbridge.support.Gateway;
import io.hookbridge.support.GatewayProcess;
import io.hookbridge.support.Http;
import io.hookbridge.support.PostgresServer;
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * CONTRACT section 7: two HookBridge instances, one standalone ActiveMQ broker (separate processes on loopback)
 * and the idempotent repository on a shared PostgreSQL. The same webhook posted to both is enqueued once,
 * deliveries are shared, killing one instance loses nothing, and a webhook cut off by an instance's halt between
 * reserving its id and storing its event is stored when retried on the other.
 */
class ScaleOutProcessIT {

    @TempDir
    Path work;

    final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();

    @Test
    void twoInstancesShareOneBrokerAndOneIdempotencyStore() throws Exception {
        int brokerPort = Gateway.freePort();
        Process broker = GatewayProcess.standaloneBroker(Files.createDirectories(work.resolve("broker")), brokerPort);
        try (PostgresServer postgres = PostgresServer.start();
             TestReceiver receiver = new TestReceiver()) {
            awaitPort(brokerPort);
            receiver.answer(r -> {
                delivered.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
                return Reply.of(204);
            });
            Path routes = new Routes().subscription("shared", Map.of("url", receiver.url("/shared"), "initialDelay", "100",
                    "maxDelay", "1000", "maxAttempts", "50")).writeTo(work.resolve("routes"));
            String[] shared = {"hookbridge.broker.url=tcp://127.0.0.1:" + brokerPort,
                    "hookbridge.idempotency.jdbc-url=" + postgres.jdbcUrl(), "hookbridge.idempotency.jdbc-user=postgres",
                    "logging.level.io.hookbridge.delivery=INFO"};
            try (GatewayProcess a = new GatewayProcess(work.resolve("a"), routes, Gateway.freePort(), Gateway.freePort(), shared);
                 GatewayProcess b = new GatewayProcess(work.resolve("b"), routes, Gateway.freePort(), Gateway.freePort(), shared)) {
                a.start();
                b.start();

                // the same webhook posted to both instances at once is accepted once
                ExecutorService pool = Executors.newFixedThreadPool(8);
                Set<String> accepted = ConcurrentHashMap.newKeySet();
                int firsts = 0;
                for (int i = 0; i < 40; i++) {
                    byte[] body = Fixtures.unique("iotum", Fixtures.of("iotum").get(i % 20).body());
                    CompletableFuture<Http.Answer> toA = CompletableFuture.supplyAsync(() -> post(a, "iotum", body), pool);
                    CompletableFuture<Http.Answer> toB = CompletableFuture.supplyAsync(() -> post(b, "iotum", body), pool);
                    Http.Answer answerA = toA.join();
                    Http.Answer answerB = toB.join();
                    assertThat(answerA.status()).isEqualTo(202);
                    assertThat(answerB.status()).isEqualTo(202);
                    assertThat(answerA.json().get("id")).isEqualTo(answerB.json().get("id"));
                    int fresh = (answerA.json().get("duplicate").asBoolean() ? 0 : 1) + (answerB.json().get("duplicate").asBoolean() ? 0 : 1);
                    assertThat(fresh).as("exactly one of the two answers is not a duplicate").isEqualTo(1);
                    firsts += fresh;
                    accepted.add(answerA.json().get("id").asText());
                }
                assertThat(firsts).isEqualTo(40);

                // load on both, then one instance killed mid-way
                AtomicBoolean loading = new AtomicBoolean(true);
                List<CompletableFuture<?>> clients = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    clients.add(CompletableFuture.runAsync(() -> {
                        int n = 0;
                        while (loading.get()) {
                            GatewayProcess target = (client % 2 == 0 && a.isAlive()) ? a : b;
                            String source = VendorSigner.SOURCES.get((client + n++) % 5);
                            byte[] body = Fixtures.unique(source, Fixtures.of(source).get(n % 10).body());
                            try {
                                Http.Answer answer = post(target, source, body);
                                if (answer.status() == 202) accepted.add(answer.json().get("id").asText());
                            } catch (RuntimeException lost) {
                                // the killed instance: the client moves on to the other one
                            }
                        }
                    }, pool));
                }
                Thread.sleep(3_000);
                a.kill();
                Thread.sleep(3_000);
                loading.set(false);
                CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                pool.shutdown();

                // an instance halted between reserving an id in the shared table and committing its event: the
                // database rolls the reservation back, and the vendor's retry to another instance is stored
                try (GatewayProcess c = new GatewayProcess(work.resolve("c"), routes, Gateway.freePort(), Gateway.freePort(), shared)) {
                    c.crashAt(CrashPoints.AFTER_RESERVE).start();
                    byte[] body = Fixtures.unique("pencil", Fixtures.of("pencil").get(0).body());
                    assertThatThrownBy(() -> post(c, "pencil", body)).as("the halted instance never answers");
                    assertThat(c.awaitExit(Duration.ofSeconds(30))).isEqualTo(CrashPoints.HALT_STATUS);
                    Http.Answer retry = post(b, "pencil", body);
                    assertThat(retry.status()).as(retry.toString()).isEqualTo(202);
                    assertThat(retry.json().get("duplicate").asBoolean()).as("the retry on the other instance is stored, not a duplicate").isFalse();
                    accepted.add(retry.json().get("id").asText());
                }

                long deadline = System.currentTimeMillis() + 90_000;
                while (System.currentTimeMillis() < deadline && !delivered.keySet().containsAll(accepted)) Thread.sleep(300);
                long missing = accepted.stream().filter(id -> !delivered.containsKey(id)).count();
                long byA = countLines(a, "delivery delivered");
                long byB = countLines(b, "delivery delivered");
                System.out.printf("scale-out ledger: accepted=%d delivered=%d missing=%d delivered-by-a=%d delivered-by-b=%d%n",
                        accepted.size(), delivered.size(), missing, byA, byB);
                assertThat(missing).as("accepted but never delivered").isZero();
                assertThat(byA).as("instance a delivered a share").isPositive();
                assertThat(byB).as("instance b delivered a share").isPositive();
            }
        } finally {
            broker.destroy();
            broker.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static Http.Answer post(GatewayProcess gateway, String source, byte[] body) {
        return Http.post(gateway.url("/webhooks/" + source), body, VendorSigner.headers(source, body));
    }

    private static long countLines(GatewayProcess gateway, String text) throws Exception {
        try (var lines = Files.lines(gateway.log().toPath())) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the standalone broker did not listen on " + port);
    }
}
