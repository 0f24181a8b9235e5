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
}
