package io.hookbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.LongDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import io.hookbridge.broker.Admission;
import io.hookbridge.config.HookBridgeProperties;
import io.hookbridge.support.H2Database;

/**
 * Both id stores on real files (the local hash-table files, and the SQL table on an H2 file database standing in for
 * the shared database): first admission wins under concurrency, forget and prune, and ids survive reopening.
 */
class EventIdsTest {

    @TempDir
    Path dir;

    /** One of the two stores, and what must be closed with it. */
    record Opened(EventIds ids, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            ids.close();
            resource.close();
        }
    }

    Opened open(String store, Duration retention) {
        HookBridgeProperties properties = new HookBridgeProperties();
        properties.getIdempotency().setRetention(retention);
        if (store.equals("local")) {
            EventIds ids = new LocalEventIds(dir.resolve("ids"), retention);
            return new Opened(ids, () -> { });
        }
        HikariDataSource db = H2Database.open(dir);
        return new Opened(new JdbcEventIds(db, properties), db);
    }

    Opened open(String store) {
        return open(store, Duration.ofDays(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "jdbc"})
    void exactlyOneOfManyConcurrentInsertsOfTheSameIdWins(String store) throws Exception {
        try (Opened opened = open(store)) {
            EventIds ids = opened.ids();
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

    @ParameterizedTest
    @ValueSource(strings = {"local", "jdbc"})
    void idsAreNamespacedBySourceAndRememberedAfterReopening(String store) throws Exception {
        try (Opened opened = open(store)) {
            EventIds ids = opened.ids();
            assertThat(ids.remember("iotum", "a")).isTrue();
            assertThat(ids.remember("pencil", "a")).as("another source's id").isTrue();
            assertThat(ids.remember("iotum", "a")).isFalse();
            String longId = "x".repeat(500);
            assertThat(ids.remember("attendee", longId)).isTrue();
            assertThat(ids.remember("attendee", longId)).isFalse();
        }
        try (Opened opened = open(store)) {
            assertThat(opened.ids().remember("iotum", "a")).as("remembered across a restart").isFalse();
        }
        try (Opened opened = open(store, Duration.ZERO)) {
            opened.ids().prune();
            assertThat(opened.ids().remember("iotum", "a")).as("forgotten after its retention").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "jdbc"})
    void aBatchAdmitsOnlyKeysNotSeenBefore(String store) throws Exception {
        try (Opened opened = open(store)) {
            EventIds ids = opened.ids();
            assertThat(ids.admit(List.of("iotum:a", "iotum:b"))).containsExactly("iotum:a", "iotum:b");
            assertThat(ids.admit(List.of("iotum:b", "iotum:c", "iotum:c", "iotum:a"))).containsExactly("iotum:c");
            assertThat(ids.remember("iotum", "b")).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "jdbc"})
    void reservedKeysCountAsSeenOnlyOnceConfirmedAndAreFreeAgainWhenReleased(String store) throws Exception {
        try (Opened opened = open(store)) {
            EventIds ids = opened.ids();
            Admission.Reservation failed = ids.reserve(List.of("iotum:a", "iotum:b"));
            assertThat(failed.fresh()).containsExactly("iotum:a", "iotum:b");
            failed.release();
            Admission.Reservation stored = ids.reserve(List.of("iotum:a", "iotum:b", "iotum:c"));
            assertThat(stored.fresh()).as("released keys are free for the retry").containsExactly("iotum:a", "iotum:b", "iotum:c");
            stored.confirm();
            assertThat(ids.admit(List.of("iotum:a", "iotum:b", "iotum:c", "iotum:d"))).containsExactly("iotum:d");
        }
    }

    @Test
    void aReservationCutShortByACrashIsForgottenAtTheNextStart() throws Exception {
        // (the shared database's equivalent, a transaction rolled back by the server when its process dies, is
        // ScaleOutProcessIT's: an instance halted between reserving and committing)
        try (Opened opened = open("local")) {
            opened.ids().admit(List.of("iotum:a"));
            Admission.Reservation cutShort = opened.ids().reserve(List.of("iotum:e"));
            assertThat(cutShort.fresh()).containsExactly("iotum:e");
            // neither confirmed nor released: the process stopped before its broker commit had an outcome
        }
        try (Opened opened = open("local")) {
            assertThat(opened.ids().admit(List.of("iotum:a", "iotum:e"))).as("only confirmed keys survive a restart").containsExactly("iotum:e");
        }
    }

    @Test
    void aKeyReservedByOneCommitIsNotAdmittedByAnotherUntilThatOneEnds() throws Exception {
        try (Opened opened = open("local")) {
            EventIds ids = opened.ids();
            Admission.Reservation first = ids.reserve(List.of("pencil:x"));
            assertThat(ids.reserve(List.of("pencil:x")).fresh()).as("while the first commit is under way").isEmpty();
            first.release();
            Admission.Reservation second = ids.reserve(List.of("pencil:x"));
            assertThat(second.fresh()).containsExactly("pencil:x");
            second.confirm();
            assertThat(ids.reserve(List.of("pencil:x")).fresh()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "jdbc"})
    void concurrentBatchesWithOverlappingKeysAdmitEachKeyOnce(String store) throws Exception {
        try (Opened opened = open(store)) {
            EventIds ids = opened.ids();
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

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    @Test
    void localIdsAreKeptForTheRetentionInTimeBucketsAndOldBucketsAreDropped() throws Exception {
        ManualClock clock = new ManualClock();
        Path file = dir.resolve("buckets");
        try (LocalEventIds ids = new LocalEventIds(file, Duration.ofDays(7), clock)) {
            assertThat(ids.remember("pencil", "day0")).isTrue();
            clock.now = clock.now.plus(Duration.ofDays(4));
            assertThat(ids.remember("pencil", "day4")).isTrue();
            assertThat(ids.remember("pencil", "day0")).as("4 days later, in an older (3.5-day) bucket").isFalse();
            clock.now = clock.now.plus(Duration.ofDays(3)).plusSeconds(1);
            assertThat(ids.remember("pencil", "day4")).as("3 days after it").isFalse();
            ids.prune();
        }
        try (LocalEventIds ids = new LocalEventIds(file, Duration.ofDays(7), clock)) {
            assertThat(ids.remember("pencil", "day4")).as("reopened: still within its retention").isFalse();
            assertThat(ids.remember("pencil", "day0")).as("older than 7 days: forgotten").isTrue();
            clock.now = clock.now.plus(Duration.ofDays(30));
            ids.prune();
            assertThat(ids.remember("pencil", "day4")).isTrue();
        }
        try (LocalEventIds ids = new LocalEventIds(file, Duration.ofHours(1), clock)) {
            assertThat(ids.remember("pencil", "day4")).as("a shorter retention after a restart").isFalse();
            clock.now = clock.now.plus(Duration.ofMinutes(61));
            assertThat(ids.remember("pencil", "day4")).isTrue();
            ids.prune();
        }
    }

    @Test
    void theBTreeFileOfAnEarlierVersionIsTakenOverOnceWithItsIdsStillWithinTheRetention() throws Exception {
        ManualClock clock = new ManualClock();
        Path legacy = dir.resolve("accepted-ids.mv");
        long accepted = clock.millis() - Duration.ofHours(2).toMillis();
        long expired = clock.millis() - Duration.ofDays(8).toMillis();
        long day = Duration.ofDays(1).toMillis();
        MVStore old = KeyValueFiles.open(legacy, KeyValueFiles.NO_CACHE);
        long start = accepted - Math.floorMod(accepted, day);
        MVMap<String, Long> textBucket = old.openMap(LocalEventIds.LEGACY_TEXT_BUCKET_PREFIX + start + "-" + (start + day));
        textBucket.put(EventIds.key("iotum", "keyed-by-text"), accepted);
        MVMap<UUID, Long> digestBucket = old.openMap(LocalEventIds.LEGACY_BUCKET_PREFIX + start + "-" + (start + day),
                new MVMap.Builder<UUID, Long>().keyType(KeyValueFiles.DigestType.INSTANCE).valueType(LongDataType.INSTANCE));
        digestBucket.put(KeyValueFiles.digest(EventIds.key("iotum", "keyed-by-digest")), accepted);
        digestBucket.put(KeyValueFiles.digest(EventIds.key("iotum", "too-old")), expired);
        old.close();

        try (LocalEventIds ids = new LocalEventIds(dir.resolve("accepted-ids"), Duration.ofDays(7), clock)) {
            assertThat(ids.importLegacyFile(legacy)).isEqualTo(2);
            assertThat(legacy).doesNotExist();
            assertThat(ids.remember("iotum", "keyed-by-text")).as("an id of a text-keyed bucket").isFalse();
            assertThat(ids.remember("iotum", "keyed-by-digest")).as("an id of a digest-keyed bucket").isFalse();
            assertThat(ids.remember("pencil", "keyed-by-digest")).as("the same id of another source").isTrue();
            assertThat(ids.remember("iotum", "too-old")).as("older than the retention: not taken over").isTrue();
        }
        try (LocalEventIds ids = new LocalEventIds(dir.resolve("accepted-ids"), Duration.ofDays(7), clock)) {
            assertThat(ids.remember("iotum", "keyed-by-text")).as("taken over for good").isFalse();
            clock.now = clock.now.plus(Duration.ofDays(7));
            ids.prune();
            assertThat(ids.remember("iotum", "keyed-by-digest")).as("forgotten a retention after its acceptance").isTrue();
        }
    }

    @Test
    void theGatewayTakesOverTheIdFileOfAnEarlierVersionAtStart() throws Exception {
        Path legacy = dir.resolve("idempotency").resolve("accepted-ids.mv");
        java.nio.file.Files.createDirectories(legacy.getParent());
        MVStore old = KeyValueFiles.open(legacy, KeyValueFiles.NO_CACHE);
        long now = System.currentTimeMillis();
        old.openMap(LocalEventIds.LEGACY_BUCKET_PREFIX + (now - 1000) + "-" + (now + 1000),
                new MVMap.Builder<UUID, Long>().keyType(KeyValueFiles.DigestType.INSTANCE).valueType(LongDataType.INSTANCE))
                .put(KeyValueFiles.digest(EventIds.key("spaceos", "before-upgrade")), now - 10);
        old.close();
        HookBridgeProperties properties = new HookBridgeProperties();
        properties.setDataDir(dir.toString());
        try (EventIds ids = new IdempotencyConfiguration().eventIds(properties, null)) {
            assertThat(ids.remember("spaceos", "before-upgrade")).isFalse();
            assertThat(ids.remember("spaceos", "after-upgrade")).isTrue();
        }
        assertThat(legacy).doesNotExist();
        assertThat(dir.resolve("idempotency").resolve("accepted-ids")).isDirectoryContaining("glob:**.ids");
    }

    @Test
    void digestsAreStoredAsSixteenBytesAndOrderedByTheirBits() {
        UUID low = new UUID(Long.MIN_VALUE, 5);
        UUID mid = new UUID(-1, Long.MAX_VALUE);
        UUID high = new UUID(7, Long.MIN_VALUE);
        KeyValueFiles.DigestType type = KeyValueFiles.DigestType.INSTANCE;
        assertThat(type.compare(low, mid)).isNegative();
        assertThat(type.compare(mid, high)).isNegative();
        assertThat(type.compare(high, new UUID(7, Long.MIN_VALUE))).isZero();
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, mid);
        ByteBuffer written = buffer.getBuffer().flip();
        assertThat(written.remaining()).isEqualTo(16);
        assertThat(type.read(written)).isEqualTo(mid);
        assertThat(KeyValueFiles.digest("iotum:a")).isEqualTo(KeyValueFiles.digest("iotum:a"))
                .isNotEqualTo(KeyValueFiles.digest("iotum:b"));
    }
}
