package io.hookbridge.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import io.hookbridge.support.Routes;
import io.hookbridge.support.TestReceiver;
import io.hookbridge.support.TestReceiver.Reply;
import io.hookbridge.support.VendorSigner;

/**
 * The at-least-once promise under kill -9: the real jar, concurrent clients posting distinct webhooks and repeating a
 * webhook whose connection was lost as vendors do, the gateway killed at random moments (once stopped with SIGTERM)
 * and restarted; at the end every 202, duplicate or not, has reached the receiver, no 4xx has.
 */
class CrashProcessIT {

    static final int CLIENTS = 8;
    static final int KILLS = 5;
    /** Which of the stops is a SIGTERM instead of a kill -9. */
    static final int SIGTERM_AT = 2;
    static final int DELIVERY_CONCURRENCY = 16;
    /** A try every 100 ms: a minute, longer than any restart. */
    static final int MAX_TRIES = 600;

    @TempDir
    Path work;

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    final AtomicInteger unanswered = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();

    @Test
    void everyAcceptedWebhookIsDeliveredAcrossKills() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answer(r -> {
                delivered.computeIfAbsent(r.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
                return Reply.of(204);
            });
            Path routes = new Routes().subscription("ledger", Map.of("url", receiver.url("/ledger"), "maxAttempts", "100",
                    "initialDelay", "100", "maxDelay", "1000")).writeTo(work.resolve("routes"));
            GatewayProcess gateway = new GatewayProcess(work.resolve("data"), routes, Gateway.freePort(), Gateway.freePort(),
                    "hookbridge.delivery.concurrency=" + DELIVERY_CONCURRENCY);
            try (gateway) {
                gateway.start();
                AtomicBoolean loading = new AtomicBoolean(true);
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.execute(() -> load(gateway, client, loading));
                }
                Random random = new Random(42);
                for (int kill = 0; kill < KILLS; kill++) {
                    Thread.sleep(2_000 + random.nextInt(3_000));
                    if (kill == SIGTERM_AT) gateway.terminate(Duration.ofSeconds(60));
                    else gateway.kill();
                    gateway.start();
                }
                Thread.sleep(2_000);
                loading.set(false);
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

                long deadline = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < deadline && !delivered.keySet().containsAll(accepted)) Thread.sleep(500);
            }
        }
        long missing = accepted.stream().filter(id -> !delivered.containsKey(id)).count();
        long duplicates = delivered.values().stream().mapToInt(n -> n.get() - 1).sum();
        long refusedButDelivered = refused.stream().filter(delivered::containsKey).count();
        System.out.printf("crash ledger: accepted=%d delivered=%d duplicates=%d missing=%d refused=%d refused-but-delivered=%d retried=%d unanswered=%d stops=%d%n",
                accepted.size(), delivered.size(), duplicates, missing, refused.size(), refusedButDelivered, retried.get(), unanswered.get(), KILLS);

        assertThat(accepted.size()).as("a few thousand webhooks accepted").isGreaterThanOrEqualTo(1_000);
        assertThat(missing).as("answered 202 (duplicate or not) but never delivered").isZero();
        assertThat(unanswered.get()).as("webhooks never answered after a minute of retries").isZero();
        assertThat(retried.get()).as("webhooks cut off by a stop and answered on a retry").isPositive();
        assertThat(refusedButDelivered).as("refused (4xx) yet delivered").isZero();
        assertThat(duplicates).as("duplicates stay below what can be in flight at the kills")
                .isLessThanOrEqualTo((long) KILLS * (DELIVERY_CONCURRENCY + CLIENTS) * 2);
    }

    private void load(GatewayProcess gateway, int client, AtomicBoolean loading) {
        List<String> sources = VendorSigner.SOURCES;
        int n = 0;
        while (loading.get()) {
            String source = sources.get((client + n) % sources.size());
            List<Fixtures.Fixture> fixtures = Fixtures.of(source);
            byte[] body = Fixtures.unique(source, fixtures.get(n % fixtures.size()).body());
            boolean forged = n % 10 == 7;
            Map<String, String> headers = forged
                    ? VendorSigner.headers(source, body, source.equals("attendee") ? "Zm9yZ2VkLWtleS1mb3ItY3Jhc2g=" : "forged")
                    : VendorSigner.headers(source, body);
            n++;
            // a vendor repeats the same bytes after a lost connection or a 5xx, until it has an answer
            for (int tries = 1; ; tries++) {
                try {
                    Http.Answer answer = Http.post(gateway.url("/webhooks/" + source), body, headers);
                    if (answer.status() == 202) {
                        accepted.add(answer.json().get("id").asText());
                        if (tries > 1) retried.incrementAndGet();
                        break;
                    } else if (answer.status() >= 400 && answer.status() < 500) {
                        refused.add(expectedId(source, body));
                        break;
                    }
                } catch (RuntimeException connectionLost) {
                    // the gateway is down or restarting
                }
                if (tries >= MAX_TRIES) {
                    unanswered.incrementAndGet();
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static String expectedId(String source, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (source.equals("attendee")) {
            int i = text.indexOf("\"idempotency_key\"");
            int start = text.indexOf('"', text.indexOf(':', i) + 1) + 1;
            return text.substring(start, text.indexOf('"', start));
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((source + ":").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
