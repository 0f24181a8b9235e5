package io.hookbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hookbridge.delivery.DeliveryAttempt;
import io.hookbridge.ingest.KeyValueFiles;
import io.hookbridge.support.H2Database;

/**
 * Both attempt-log stores on real files (the local key-value file, and the SQL table on an H2 file database standing
 * in for the shared database): attempts per event in order, kept across reopening, pruned by count and by age.
 */
class AttemptLogStoresTest {

    @TempDir
    Path dir;

    HikariDataSource db;

    QueuedAttemptLog open(String store, AttemptLogProperties settings) {
        QueuedAttemptLog attempts;
        if (store.equals("local")) {
            attempts = new LocalAttemptLog(dir.resolve("attempts.mv"), settings, new SimpleMeterRegistry());
        } else {
            if (db == null) db = H2Database.open(dir);
            attempts = new JdbcAttemptLog(db, settings, new SimpleMeterRegistry());
        }
        attempts.afterPropertiesSet();
        return attempts;
    }

    static DeliveryAttempt attempt(String eventId, int n, Instant at, int status, String error) {
        return new DeliveryAttempt("crm", eventId, "pencil", "participant.joined", n, at, status, 12, error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "jdbc"})
    void attemptsPerEventInOrderAcrossReopeningAndPrunedByCountThenAge(String store) throws Exception {
        Instant t0 = Instant.ofEpochMilli(System.currentTimeMillis() - 60_000);
        QueuedAttemptLog log = open(store, new AttemptLogProperties());
        log.record(attempt("evt-1", 1, t0, 500, "HTTP 500 Internal Server Error"));
        log.record(attempt("evt-10", 1, t0.plusMillis(1), 204, null));
        log.record(attempt("evt-1", 2, t0.plusMillis(2), 204, null));
        log.record(attempt("evt-1\u00e9", 1, t0.plusMillis(3), 0, "e".repeat(3000)));
        List<DeliveryAttempt> first = log.attemptsOf("evt-1");
        assertThat(first).extracting(DeliveryAttempt::attempt).containsExactly(1, 2);
        assertThat(first.get(0).error()).isEqualTo("HTTP 500 Internal Server Error");
        assertThat(first.get(1).error()).isNull();
        assertThat(first.get(0).time()).isEqualTo(t0);
        assertThat(log.attemptsOf("evt-1\u00e9").get(0).error()).hasSize(2000);
        assertThat(log.attemptsOf("nothing")).isEmpty();
        log.destroy();

        AttemptLogProperties fewer = new AttemptLogProperties();
        fewer.setMaxEntries(2);
        log = open(store, fewer);
        assertThat(log.size()).as("the two newest kept on opening").isEqualTo(2);
        assertThat(log.attemptsOf("evt-1")).extracting(DeliveryAttempt::attempt).containsExactly(2);
        assertThat(log.attemptsOf("evt-10")).isEmpty();
        log.destroy();

        AttemptLogProperties young = new AttemptLogProperties();
        young.setRetention(Duration.ofSeconds(30));
        log = open(store, young);
        log.record(attempt("evt-2", 1, Instant.now(), 204, null));
        log.prune();
        assertThat(log.size()).as("only the attempt younger than the retention").isEqualTo(1);
        assertThat(log.attemptsOf("evt-2")).hasSize(1);
        log.destroy();
        if (db != null) db.close();
    }

    @Test
    void aLocalFileWhoseIndexIsKeyedByTextHasItRebuiltFromTheAttempts() throws Exception {
        Instant t0 = Instant.ofEpochMilli(System.currentTimeMillis() - 60_000);
        QueuedAttemptLog log = open("local", new AttemptLogProperties());
        log.record(attempt("evt-1", 1, t0, 500, "HTTP 500"));
        log.record(attempt("evt-2", 1, t0.plusMillis(1), 204, null));
        log.record(attempt("evt-1", 2, t0.plusMillis(2), 204, null));
        log.destroy();
        MVStore file = KeyValueFiles.open(dir.resolve("attempts.mv"), KeyValueFiles.SMALL_CACHE);
        file.removeMap("attempts-by-block-and-event");
        file.<String, Long>openMap("attempts-by-event").put("evt-1\u0000" + "0".repeat(18) + "1", 1L);
        file.close();

        log = open("local", new AttemptLogProperties());
        assertThat(log.attemptsOf("evt-1")).extracting(DeliveryAttempt::attempt).containsExactly(1, 2);
        assertThat(log.attemptsOf("evt-2")).extracting(DeliveryAttempt::status).containsExactly(204);
        log.destroy();
        file = KeyValueFiles.open(dir.resolve("attempts.mv"), KeyValueFiles.SMALL_CACHE);
        assertThat(file.hasMap("attempts-by-event")).as("the text-keyed index, once rebuilt").isFalse();
        file.close();
    }

    @Test
    void aLocalEventsAttemptsAreFoundAcrossIndexBlocksAndLeaveTheIndexWhenPruned() throws Exception {
        Instant t0 = Instant.ofEpochMilli(System.currentTimeMillis() - 60_000);
        AttemptLogProperties settings = new AttemptLogProperties();
        QueuedAttemptLog log = open("local", settings);
        for (int i = 0; i < 5000; i++) {
            String id = i % 1000 == 7 ? "evt-spread" : "evt-" + i;
            log.record(attempt(id, i / 1000 + 1, t0.plusMillis(i), i % 1000 == 7 ? 503 : 204, null));
        }
        assertThat(log.attemptsOf("evt-spread")).as("one attempt in each block of 1,024")
                .extracting(DeliveryAttempt::attempt).containsExactly(1, 2, 3, 4, 5);
        assertThat(log.attemptsOf("evt-4999")).hasSize(1);
        log.destroy();

        settings.setMaxEntries(1500);
        log = open("local", settings);
        assertThat(log.attemptsOf("evt-spread")).as("the older ones pruned by count").extracting(DeliveryAttempt::attempt).containsExactly(5);
        assertThat(log.attemptsOf("evt-10")).isEmpty();
        log.destroy();
        MVStore file = KeyValueFiles.open(dir.resolve("attempts.mv"), KeyValueFiles.SMALL_CACHE);
        assertThat(file.openMap("attempts-by-block-and-event", new MVMap.Builder<long[], Long>()
                .keyType(io.hookbridge.ingest.KeyValueFiles.LongsKey.FOUR).valueType(LongDataType.INSTANCE)).sizeAsLong())
                .as("index entries of pruned attempts removed").isEqualTo(1500);
        file.close();
    }
}
