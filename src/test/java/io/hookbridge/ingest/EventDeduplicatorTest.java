package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.config.HookBridgeProperties;

/** The id store on a real H2 file: first insert wins under concurrency, forget and prune, and it survives reopening. */
class EventDeduplicatorTest {

    @TempDir
    Path dir;

    HikariDataSource open() {
        HookBridgeProperties properties = new HookBridgeProperties();
        properties.setDataDir(dir.toString());
        return new IdempotencyConfiguration().idempotencyDataSource(properties);
    }

    @Test
    void exactlyOneOfManyConcurrentInsertsOfTheSameIdWins() throws Exception {
        try (HikariDataSource db = open()) {
            EventDeduplicator ids = new EventDeduplicator(db, new HookBridgeProperties());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int round = 0; round < 50; round++) {
                String id = "event-" + round;
                List<Callable<Boolean>> racers = new ArrayList<>();
                for (int i = 0; i < 8; i++) racers.add(() -> ids.remember("iotum", id));
                long winners = 0;
                for (Future<Boolean> f : pool.invokeAll(racers)) if (f.get()) winners++;
                assertThat(winners).as(id).isEqualTo(1);
            }
            pool.shutdown();
        }
    }

    @Test
    void idsAreNamespacedBySourceForgettableAndRememberedAfterReopening() {
        try (HikariDataSource db = open()) {
            EventDeduplicator ids = new EventDeduplicator(db, new HookBridgeProperties());
            assertThat(ids.remember("iotum", "a")).isTrue();
            assertThat(ids.remember("pencil", "a")).as("another source's id").isTrue();
            assertThat(ids.remember("iotum", "a")).isFalse();
            ids.forget("iotum", "a");
            assertThat(ids.remember("iotum", "a")).as("forgotten after a failed store").isTrue();
            String longId = "x".repeat(500);
            assertThat(ids.remember("attendee", longId)).isTrue();
            assertThat(ids.remember("attendee", longId)).isFalse();
        }
        try (HikariDataSource db = open()) {
            EventDeduplicator ids = new EventDeduplicator(db, new HookBridgeProperties());
            assertThat(ids.remember("iotum", "a")).as("remembered across a restart").isFalse();
            HookBridgeProperties shortRetention = new HookBridgeProperties();
            shortRetention.getIdempotency().setRetention(java.time.Duration.ZERO);
            new EventDeduplicator(db, shortRetention).prune();
            assertThat(ids.remember("iotum", "a")).as("pruned after its retention").isTrue();
        }
    }

    @Test
    void aBatchAdmitsOnlyKeysNotSeenBeforeAndRevokedOnesComeBack() {
        try (HikariDataSource db = open()) {
            EventDeduplicator ids = new EventDeduplicator(db, new HookBridgeProperties());
            assertThat(ids.admit(List.of("iotum:a", "iotum:b"))).containsExactly("iotum:a", "iotum:b");
            assertThat(ids.admit(List.of("iotum:b", "iotum:c", "iotum:c", "iotum:a"))).containsExactly("iotum:c");
            ids.revoke(List.of("iotum:a", "iotum:c"));
            assertThat(ids.admit(List.of("iotum:a", "iotum:b", "iotum:c"))).containsExactly("iotum:a", "iotum:c");
            assertThat(ids.remember("iotum", "b")).isFalse();
        }
    }

    @Test
    void concurrentBatchesWithOverlappingKeysAdmitEachKeyOnce() throws Exception {
        try (HikariDataSource db = open()) {
            EventDeduplicator ids = new EventDeduplicator(db, new HookBridgeProperties());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Callable<java.util.Set<String>>> batches = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                List<String> keys = new ArrayList<>();
                for (int k = 0; k < 50; k++) keys.add("spaceos:" + ((k * 7 + b) % 60));
                batches.add(() -> ids.admit(keys));
            }
            java.util.Map<String, Integer> admittedTimes = new java.util.HashMap<>();
            for (Future<java.util.Set<String>> f : pool.invokeAll(batches)) {
                for (String k : f.get()) admittedTimes.merge(k, 1, Integer::sum);
            }
            pool.shutdown();
            assertThat(admittedTimes.values()).allMatch(n -> n == 1);
            assertThat(admittedTimes).hasSize(60);
        }
    }
}
