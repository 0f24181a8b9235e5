package io.hookbridge.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.hookbridge.delivery.DeliveryListener.Outcome;
import io.hookbridge.event.CanonicalEvent;
import io.hookbridge.support.H2Database;
import io.hookbridge.support.PostgresServer;

/**
 * Both event index stores give the same answers: the key-value file of a single instance ("local"), and the SQL of
 * the shared one on the databases it runs on (an H2 file and a real PostgreSQL 15 server). Statuses follow outcomes
 * in order, filters and pending-by-filter, paging without gaps or repeats, and pruning by age and by count.
 */
class EventIndexStoresTest {

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    static final List<SubscriptionScope> SCOPES = List.of(new SubscriptionScope("crm", "participant.*", "iotum,pencil"),
            new SubscriptionScope("audit", "*", "*"));

    EventIndex index(String database, EventIndexProperties settings) throws Exception {
        EventIndex index = store(database, settings);
        index.afterPropertiesSet();
        open.add(index::destroy);
        return index;
    }

    javax.sql.DataSource db;

    EventIndex store(String database, EventIndexProperties settings) throws Exception {
        if (database.equals("local")) return new LocalEventIndex(dir.resolve("index.mv"), settings, () -> SCOPES, new SimpleMeterRegistry());
        if (db != null) return new SharedEventIndex(db, settings, () -> SCOPES, new SimpleMeterRegistry());
        HikariDataSource db;
        if (database.equals("h2")) {
            db = H2Database.open(dir);
        } else {
            PostgresServer postgres = PostgresServer.start();
            open.add(postgres);
            db = new HikariDataSource();
            db.setJdbcUrl(postgres.jdbcUrl());
            db.setUsername("postgres");
        }
        open.add(db);
        this.db = db;
        return new SharedEventIndex(db, settings, () -> SCOPES, new SimpleMeterRegistry());
    }

    /** Stores the events as the publisher hands them over, and writes them. */
    static void index(EventIndex index, List<IndexedEvent> events) {
        for (IndexedEvent e : events) {
            index.stored(new CanonicalEvent(e.id(), e.source(), e.type(), e.subject(), e.receivedAt(), "x", JsonNodeFactory.instance.objectNode()),
                    e.json().getBytes(StandardCharsets.UTF_8), e.receivedAt().toEpochMilli());
        }
        index.flush();
    }

    static IndexedEvent event(String id, String source, String type, String subject, Instant at) {
        return new IndexedEvent(0, id, source, type, subject, at, "{\"id\":\"" + id + "\",\"vendorevent\":\"x\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "h2", "postgres"})
    void indexesOnceFiltersPagesAndPrunes(String database) throws Exception {
        EventIndex index = index(database, new EventIndexProperties());
        Instant t0 = Instant.now().minusSeconds(60);
        List<IndexedEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String source = i % 3 == 0 ? "iotum" : i % 3 == 1 ? "pencil" : "spaceos";
            batch.add(event("evt-" + i, source, i % 2 == 0 ? "participant.joined" : "session.started", "meeting-" + (i % 5),
                    t0.plusMillis(i)));
        }
        index(index, batch);
        assertThat(index.size()).isEqualTo(30);
        assertThat(index.find("evt-7").json()).contains("evt-7");
        assertThat(index.find("nothing")).isNull();

        // outcomes in order: the last one wins; an outcome may arrive before its event is indexed
        long at0 = t0.toEpochMilli(), early = t0.plusMillis(100).toEpochMilli();
        index.outcome("crm", "evt-0", at0, Outcome.RETRYING, 1);
        index.outcome("crm", "evt-0", at0, Outcome.DEAD_LETTERED, 2);
        index.outcome("audit", "evt-0", at0, Outcome.DELIVERED, 1);
        index.outcome("audit", "evt-early", early, Outcome.DELIVERED, 1);
        index.flush();
        index(index, List.of(event("evt-early", "pencil", "schedule.created", null, t0.plusMillis(100))));
        assertThat(index.statuses(index.find("evt-0"))).extracting(s -> s.subscription() + "=" + s.status().wire() + "/" + s.attempts())
                .containsExactly("audit=delivered/1", "crm=dead_lettered/2");
        assertThat(index.statuses(index.find("evt-early"))).extracting(s -> s.subscription() + "=" + s.status().wire())
                .containsExactly("audit=delivered");
        assertThat(index.statuses(index.find("evt-2"))).as("spaceos: not crm's; no outcome yet: pending for audit")
                .extracting(s -> s.subscription() + "=" + s.status().wire()).containsExactly("audit=pending");
        index.replayed("crm", List.of(new EventIndex.EventRef("evt-0", at0)));
        assertThat(index.statuses(index.find("evt-0"))).extracting(s -> s.subscription() + "=" + s.status().wire())
                .containsExactly("audit=delivered", "crm=pending");
        index.outcome("crm", "evt-0", at0, Outcome.DEAD_LETTERED, 2);

        assertThat(ids(index.search(query(null, null, "meeting-0", null, null), 100))).hasSize(6);
        assertThat(ids(index.search(query("iotum", "participant.joined", null, null, null), 100))).hasSize(5);
        assertThat(ids(index.search(query(null, null, null, EventStatus.DEAD_LETTERED, "crm"), 100))).containsExactly("evt-0");
        assertThat(ids(index.search(query(null, null, null, EventStatus.DEAD_LETTERED, "audit"), 100))).isEmpty();
        assertThat(ids(index.search(query(null, null, null, EventStatus.DELIVERED, null), 100))).containsExactly("evt-early", "evt-0");
        // crm takes participant.* from iotum and pencil: evt-0 is dead-lettered, the other 9 pending
        assertThat(ids(index.search(query(null, null, null, EventStatus.PENDING, "crm"), 100))).hasSize(9);
        assertThat(ids(index.search(query(null, null, null, null, "crm"), 100))).hasSize(10);
        assertThat(ids(index.search(new EventQuery(null, null, null, null, null, t0.plusMillis(25), t0.plusMillis(28), null), 100)))
                .containsExactly("evt-27", "evt-26", "evt-25");
        assertThat(ids(index.search(new EventQuery("pen%", null, null, null, null, null, null, null), 100))).isEmpty();

        List<String> paged = new ArrayList<>();
        EventQuery q = query(null, null, null, null, null);
        EventIndex.Page page;
        do {
            page = index.search(q, 7);
            paged.addAll(ids(page));
            q = q.withBefore(page.nextCursor());
        } while (page.nextCursor() != null);
        assertThat(paged).hasSize(31).doesNotHaveDuplicates().startsWith("evt-early", "evt-29").endsWith("evt-0");
        assertThat(index.select(query("pencil", null, null, null, null), 4)).hasSize(4);

        // by count: the oldest go, with their statuses
        EventIndexProperties few = new EventIndexProperties();
        few.setMaxEntries(10);
        index = reopen(index, database, few);
        index.prune();
        assertThat(index.size()).isEqualTo(10);
        assertThat(index.find("evt-0")).isNull();
        assertThat(index.find("evt-early")).isNotNull();
        assertThat(index.statuses(index.find("evt-early"))).as("kept, with its event")
                .extracting(s -> s.subscription() + "=" + s.status().wire()).containsExactly("audit=delivered");
        // by age
        EventIndexProperties young = new EventIndexProperties();
        young.setRetention(Duration.ofSeconds(30));
        index = reopen(index, database, young);
        index.prune();
        assertThat(index.size()).isZero();
    }

    /** The same store, closed and opened again with other settings: what was written survives a restart. */
    EventIndex reopen(EventIndex index, String database, EventIndexProperties settings) throws Exception {
        index.destroy();
        open.remove(open.size() - 1);
        return index(database, settings);
    }

    static EventQuery query(String source, String type, String subject, EventStatus status, String subscription) {
        return new EventQuery(source, type, subject, status, subscription, null, null, null);
    }

    static List<String> ids(EventIndex.Page page) {
        return page.events().stream().map(IndexedEvent::id).toList();
    }

    @org.junit.jupiter.api.Test
    void anUnreadableLocalIndexIsKeptAsideAndANewOneBegun() throws Exception {
        java.nio.file.Files.write(dir.resolve("index.mv"), "not an MVStore file, as a disk error might leave it".repeat(200)
                .getBytes(StandardCharsets.UTF_8));
        EventIndex index = index("local", new EventIndexProperties());
        index(index, List.of(event("evt-1", "pencil", "schedule.created", null, Instant.now())));
        assertThat(index.find("evt-1")).isNotNull();
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("index.mv.unreadable-"));
        }
    }
}
