package io.hookbridge.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;

import io.hookbridge.delivery.DeliveryListener;
import io.hookbridge.delivery.OutcomeLog;

/**
 * Every accepted event and where it stands with each subscription, for the operator's event log: two tables in
 * an H2 file under the data dir, or in the shared database ({@code hookbridge.idempotency.jdbc-url}) when there is
 * one. Events are written in batches by {@link EventIndexConsumer} off the broker; statuses are queued by delivery
 * outcomes ({@link OutcomeLog}) and written by a background thread, so neither ingest nor delivery waits for it.
 * <p>
 * Every read is bounded: a list query walks the index newest first in windows of {@value #WINDOW} positions
 * (primary-key ranges) and stops after {@value #MAX_SCAN} positions, answering a cursor to go on from.
 */
public class EventIndex implements OutcomeLog, InitializingBean, DisposableBean {

    static final String EVENTS = "HOOKBRIDGE_EVENTS";
    static final String STATUSES = "HOOKBRIDGE_EVENT_STATUSES";
    static final long WINDOW = 10_000;
    static final long MAX_SCAN = 200_000;
    /** H2's longest string; a canonical event of a 1 MiB webhook stays well below it. */
    static final int MAX_EVENT_CHARS = 1_000_000_000;
    private static final int STATUS_BATCH = 1000;
    private static final int PRUNE_CHUNK = 1000;
    private static final long ORPHAN_SWEEP_MILLIS = 6 * 3_600_000L;

    private static final Logger log = LoggerFactory.getLogger(EventIndex.class);

    record StatusChange(String eventId, String subscription, EventStatus status, int attempts, long at) { }

    /** A subscription's status for one event; {@code attempts} is 0 while pending. */
    public record SubscriptionStatus(String subscription, EventStatus status, int attempts, Instant updatedAt) { }

    /** One page of a list query. */
    public record Page(List<IndexedEvent> events, Map<String, List<SubscriptionStatus>> statuses, Long nextCursor, long scanned) { }

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final boolean postgres;
    private final EventIndexProperties settings;
    private final Supplier<List<SubscriptionScope>> subscriptions;
    private final BlockingQueue<StatusChange> pendingStatuses;
    private final Counter dropped;
    private final Object writeLock = new Object();
    private Thread writer;
    private volatile boolean closed;
    private long nextPrune;
    private long nextOrphanSweep;
    private final boolean ownsDataSource;

    /** @param ownsDataSource whether closing the index closes the data source (its own H2 file, not the shared pool) */
    public EventIndex(DataSource dataSource, boolean ownsDataSource, EventIndexProperties settings,
                      Supplier<List<SubscriptionScope>> subscriptions, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.pendingStatuses = new ArrayBlockingQueue<>(Math.max(1, settings.getQueueCapacity()));
        this.dropped = Counter.builder("hookbridge.index.dropped")
                .description("Event statuses not written to the event index (its queue was full or the database failed)")
                .register(meters);
        try (Connection c = dataSource.getConnection()) {
            this.postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("the event index's database is unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void afterPropertiesSet() {
        try {
            createTables();
        } catch (RuntimeException e) {
            // another instance sharing the database may have created them at the same moment
            jdbc.queryForObject("SELECT COUNT(*) FROM " + EVENTS + " WHERE seq < 0", Long.class);
            log.debug("event index tables: {}", e.toString());
        }
        writer = new Thread(this::writeLoop, "hookbridge-event-index");
        writer.setDaemon(true);
        writer.start();
    }

    private void createTables() {
        // not H2's CLOB: each value would go to its LOB store, ten times the CPU of an in-row string
        String text = postgres ? "TEXT" : "CHARACTER VARYING(" + MAX_EVENT_CHARS + ")";
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + EVENTS + " ("
                + "seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                + "id VARCHAR(500) NOT NULL, "
                + "source VARCHAR(200), "
                + "type VARCHAR(300), "
                + "subject VARCHAR(500), "
                + "received_at BIGINT NOT NULL, "
                + "event " + text + ")");
        jdbc.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + EVENTS + "_ID ON " + EVENTS + " (id)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS " + EVENTS + "_SUBJECT ON " + EVENTS + " (subject)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + STATUSES + " ("
                + "event_id VARCHAR(500) NOT NULL, "
                + "subscription VARCHAR(200) NOT NULL, "
                + "status VARCHAR(20) NOT NULL, "
                + "attempts INT NOT NULL, "
                + "updated_at BIGINT NOT NULL, "
                + "PRIMARY KEY (event_id, subscription))");
    }

    // ---- writes ----

    /**
     * Adds events not indexed yet (by id: a batch delivered again after a crash changes nothing), in one
     * transaction, durable when this returns.
     */
    public void index(List<IndexedEvent> batch) {
        if (batch.isEmpty()) return;
        String insert = "INSERT INTO " + EVENTS + " (id, source, type, subject, received_at, event) VALUES (?, ?, ?, ?, ?, ?)";
        String insertNew = postgres
                ? insert + " ON CONFLICT (id) DO NOTHING"
                : "MERGE INTO " + EVENTS + " e USING (VALUES (CAST(? AS VARCHAR(500)), CAST(? AS VARCHAR(200)), "
                        + "CAST(? AS VARCHAR(300)), CAST(? AS VARCHAR(500)), CAST(? AS BIGINT), CAST(? AS CHARACTER VARYING("
                        + MAX_EVENT_CHARS + ")))) s(id, source, type, subject, received_at, event) ON e.id = s.id "
                        + "WHEN NOT MATCHED THEN INSERT (id, source, type, subject, received_at, event) "
                        + "VALUES (s.id, s.source, s.type, s.subject, s.received_at, s.event)";
        try {
            // a plain insert costs H2 about two thirds of a merge; only a batch given again after a crash has ids indexed already
            write(postgres ? insertNew : insert, batch);
        } catch (DuplicateEvent e) {
            write(insertNew, batch);
        }
        // H2 writes its file a moment after a commit; the broker forgets the batch once it is acknowledged
        if (!postgres) jdbc.execute("CHECKPOINT SYNC");
    }

    /** A batch holding an id the index has already. */
    private static final class DuplicateEvent extends RuntimeException {
        DuplicateEvent(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private void write(String sql, List<IndexedEvent> batch) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (IndexedEvent e : batch) {
                    ps.setString(1, clip(e.id(), 500));
                    ps.setString(2, clip(e.source(), 200));
                    ps.setString(3, clip(e.type(), 300));
                    ps.setString(4, clip(e.subject(), 500));
                    ps.setLong(5, e.receivedAt().toEpochMilli());
                    ps.setString(6, e.json());
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                if (isUniqueViolation(e)) throw new DuplicateEvent(e);
                throw e;
            }
        });
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState())) return true;
        }
        return e.getCause() instanceof SQLException cause && "23505".equals(cause.getSQLState());
    }

    @Override
    public void outcome(String subscription, String eventId, DeliveryListener.Outcome outcome, int attempts) {
        EventStatus status = switch (outcome) {
            case DELIVERED -> EventStatus.DELIVERED;
            case RETRYING -> EventStatus.RETRYING;
            case DEAD_LETTERED -> EventStatus.DEAD_LETTERED;
            case SKIPPED -> EventStatus.SKIPPED;
        };
        queue(new StatusChange(eventId, subscription, status, attempts, System.currentTimeMillis()));
    }

    /** Events put back on a subscription's queue are pending for it again. */
    public void replayed(String subscription, List<String> eventIds) {
        long now = System.currentTimeMillis();
        for (String id : eventIds) queue(new StatusChange(id, subscription, EventStatus.PENDING, 0, now));
    }

    private void queue(StatusChange change) {
        if (change.eventId() == null) return;
        if (!pendingStatuses.offer(change)) {
            dropped.increment();
            log.warn("event index queue full ({}): status {} of event {} for {} not recorded", settings.getQueueCapacity(),
                    change.status().wire(), change.eventId(), change.subscription());
            return;
        }
        if (closed) flush();
    }

    /** Writes every queued status now. */
    public void flush() {
        synchronized (writeLock) {
            List<StatusChange> batch = new ArrayList<>(STATUS_BATCH);
            while (pendingStatuses.drainTo(batch, STATUS_BATCH) > 0) {
                try {
                    writeStatuses(batch);
                } catch (RuntimeException e) {
                    dropped.increment(batch.size());
                    log.warn("event index: {} status(es) could not be written: {}", batch.size(), e.toString());
                }
                batch.clear();
            }
        }
    }

    private void writeStatuses(List<StatusChange> batch) {
        // the last change per event and subscription wins; changes come in the order they happened
        Map<String, StatusChange> latest = new LinkedHashMap<>();
        for (StatusChange change : batch) latest.put(change.eventId() + '\u0000' + change.subscription(), change);
        String upsert = postgres
                ? "INSERT INTO " + STATUSES + " (event_id, subscription, status, attempts, updated_at) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (event_id, subscription) DO UPDATE SET status = EXCLUDED.status, "
                        + "attempts = EXCLUDED.attempts, updated_at = EXCLUDED.updated_at"
                : "MERGE INTO " + STATUSES + " (event_id, subscription, status, attempts, updated_at) KEY (event_id, subscription) "
                        + "VALUES (?, ?, ?, ?, ?)";
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsert)) {
                for (StatusChange s : latest.values()) {
                    ps.setString(1, clip(s.eventId(), 500));
                    ps.setString(2, clip(s.subscription(), 200));
                    ps.setString(3, s.status().wire());
                    ps.setInt(4, s.attempts());
                    ps.setLong(5, s.at());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    private void writeLoop() {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(100);
                flush();
                if (System.currentTimeMillis() >= nextPrune) prune();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("event index: {}", e.toString());
            }
        }
    }

    /**
     * Removes events received before the retention, and the oldest beyond the maximum count, with their statuses,
     * {@value #PRUNE_CHUNK} at a time from the oldest; now and then also statuses whose event never reached the
     * index (outcomes of events accepted before it existed).
     */
    public void prune() {
        long now = System.currentTimeMillis();
        long cutoff = now - settings.getRetention().toMillis();
        long over = size() - settings.getMaxEntries();
        long removed = 0;
        while (true) {
            List<Object[]> oldest = jdbc.query("SELECT seq, id, received_at FROM " + EVENTS + " ORDER BY seq FETCH FIRST "
                    + PRUNE_CHUNK + " ROWS ONLY", (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)});
            List<Object[]> doomed = new ArrayList<>();
            for (Object[] row : oldest) {
                if ((long) row[2] < cutoff || removed + doomed.size() < over) doomed.add(row);
                else break;
            }
            if (doomed.isEmpty()) break;
            long lastSeq = (long) doomed.get(doomed.size() - 1)[0];
            inTransaction(c -> {
                try (PreparedStatement statuses = c.prepareStatement("DELETE FROM " + STATUSES + " WHERE event_id = ?")) {
                    for (Object[] row : doomed) {
                        statuses.setString(1, (String) row[1]);
                        statuses.addBatch();
                    }
                    statuses.executeBatch();
                }
                try (PreparedStatement events = c.prepareStatement("DELETE FROM " + EVENTS + " WHERE seq <= ?")) {
                    events.setLong(1, lastSeq);
                    events.executeUpdate();
                }
            });
            removed += doomed.size();
            if (doomed.size() < oldest.size() || oldest.size() < PRUNE_CHUNK) break;
        }
        if (now >= nextOrphanSweep) {
            // a scan of the whole status table, so rarely: at start and every few hours
            int orphans = jdbc.update("DELETE FROM " + STATUSES + " WHERE updated_at < ?", cutoff);
            if (orphans > 0) log.info("event index: pruned {} status(es) older than {}", orphans, settings.getRetention());
            nextOrphanSweep = now + ORPHAN_SWEEP_MILLIS;
        }
        if (removed > 0) log.info("event index: pruned {} event(s) (retention {}, at most {})", removed,
                settings.getRetention(), settings.getMaxEntries());
        nextPrune = now + settings.getPruneInterval().toMillis();
    }

    // ---- reads ----

    public IndexedEvent find(String id) {
        List<IndexedEvent> found = jdbc.query("SELECT seq, id, source, type, subject, received_at, event FROM " + EVENTS
                + " WHERE id = ?", (rs, n) -> event(rs), clip(id, 500));
        return found.isEmpty() ? null : found.get(0);
    }

    /** The event's status with every subscription that has one or takes it (pending), in subscription order. */
    public List<SubscriptionStatus> statuses(IndexedEvent event) {
        flush();
        return statusesOf(List.of(event)).getOrDefault(event.id(), List.of());
    }

    public long size() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + EVENTS, Long.class);
        return n == null ? 0 : n;
    }

    /** Newest first; at most {@code limit} events and {@value #MAX_SCAN} positions looked at. */
    public Page search(EventQuery query, int limit) {
        flush();
        List<Object> bounds = jdbc.queryForObject("SELECT MIN(seq), MAX(seq) FROM " + EVENTS,
                (rs, n) -> java.util.Arrays.asList(rs.getObject(1), rs.getObject(2)));
        if (bounds.get(0) == null) return new Page(List.of(), Map.of(), null, 0);
        long min = ((Number) bounds.get(0)).longValue();
        long high = query.before() != null ? Math.min(query.before(), ((Number) bounds.get(1)).longValue() + 1)
                : ((Number) bounds.get(1)).longValue() + 1;
        List<Object> args = new ArrayList<>();
        String filter = where(query, args);
        List<IndexedEvent> found = new ArrayList<>();
        long scanned = 0;
        boolean exhausted = false;
        while (found.size() < limit && scanned < MAX_SCAN) {
            if (high <= min) {
                exhausted = true;
                break;
            }
            long low = Math.max(min, high - WINDOW);
            List<Object> windowArgs = new ArrayList<>();
            windowArgs.add(high);
            windowArgs.add(low);
            windowArgs.addAll(args);
            found.addAll(jdbc.query("SELECT seq, id, source, type, subject, received_at, event FROM " + EVENTS + " e WHERE seq < ? "
                    + "AND seq >= ?" + filter + " ORDER BY seq DESC FETCH FIRST " + (limit - found.size()) + " ROWS ONLY",
                    (rs, n) -> event(rs), windowArgs.toArray()));
            scanned += high - low;
            if (found.size() >= limit) break;
            high = low;
            if (query.since() != null && olderThan(low, query.since())) {
                exhausted = true;
                break;
            }
        }
        Long next = found.size() >= limit ? Long.valueOf(found.get(found.size() - 1).seq()) : exhausted || high <= min ? null : high;
        return new Page(found, statusesOf(found), next, scanned);
    }

    /** Events matching the query, newest first, at most {@code max} (for a replay): every position may be looked at. */
    public List<IndexedEvent> select(EventQuery query, int max) {
        List<IndexedEvent> all = new ArrayList<>();
        EventQuery page = query;
        while (all.size() < max) {
            Page found = search(page, Math.min(500, max - all.size()));
            all.addAll(found.events());
            if (found.nextCursor() == null) break;
            page = page.withBefore(found.nextCursor());
        }
        return all;
    }

    private boolean olderThan(long position, Instant since) {
        List<Long> at = jdbc.queryForList("SELECT received_at FROM " + EVENTS + " WHERE seq >= ? ORDER BY seq FETCH FIRST 1 ROWS ONLY",
                Long.class, position);
        return !at.isEmpty() && at.get(0) < since.toEpochMilli();
    }

    private String where(EventQuery q, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        equal(sql, args, "source", q.source());
        equal(sql, args, "type", q.type());
        equal(sql, args, "subject", q.subject());
        if (q.since() != null) {
            sql.append(" AND received_at >= ?");
            args.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND received_at < ?");
            args.add(q.until().toEpochMilli());
        }
        if (q.status() == null && q.subscription() != null) {
            // every event that subscription has an outcome for or takes
            sql.append(" AND (EXISTS (SELECT 1 FROM ").append(STATUSES)
                    .append(" s WHERE s.event_id = e.id AND s.subscription = ?)");
            args.add(q.subscription());
            SubscriptionScope scope = scope(q.subscription());
            if (scope != null) {
                sql.append(" OR ");
                takes(sql, args, scope);
            }
            sql.append(')');
        } else if (q.status() != null && q.status() != EventStatus.PENDING) {
            sql.append(" AND EXISTS (SELECT 1 FROM ").append(STATUSES).append(" s WHERE s.event_id = e.id AND s.status = ?");
            args.add(q.status().wire());
            if (q.subscription() != null) {
                sql.append(" AND s.subscription = ?");
                args.add(q.subscription());
            }
            sql.append(')');
        } else if (q.status() == EventStatus.PENDING) {
            List<SubscriptionScope> scopes = q.subscription() == null ? subscriptions.get()
                    : scope(q.subscription()) == null ? List.of() : List.of(scope(q.subscription()));
            sql.append(" AND (EXISTS (SELECT 1 FROM ").append(STATUSES).append(" s WHERE s.event_id = e.id AND s.status = 'pending'");
            if (q.subscription() != null) {
                sql.append(" AND s.subscription = ?");
                args.add(q.subscription());
            }
            sql.append(')');
            for (SubscriptionScope scope : scopes) {
                sql.append(" OR (NOT EXISTS (SELECT 1 FROM ").append(STATUSES)
                        .append(" s WHERE s.event_id = e.id AND s.subscription = ?) AND ");
                args.add(scope.name());
                takes(sql, args, scope);
                sql.append(')');
            }
            sql.append(')');
        }
        return sql.toString();
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, String value) {
        if (value == null) return;
        sql.append(" AND ").append(column).append(" = ?");
        args.add(value);
    }

    /** The subscription's globs as LIKE patterns: the SQL form of {@link io.hookbridge.delivery.EventFilter}. */
    private static void takes(StringBuilder sql, List<Object> args, SubscriptionScope scope) {
        sql.append('(');
        anyLike(sql, args, "type", scope.types());
        sql.append(" AND ");
        anyLike(sql, args, "source", scope.sources());
        sql.append(')');
    }

    private static void anyLike(StringBuilder sql, List<Object> args, String column, String globs) {
        List<String> patterns = new ArrayList<>();
        for (String glob : (globs == null || globs.isBlank() ? "*" : globs).split(",")) {
            if (!glob.isBlank()) patterns.add(glob.strip());
        }
        if (patterns.isEmpty()) patterns.add("*");
        sql.append('(');
        for (int i = 0; i < patterns.size(); i++) {
            if (i > 0) sql.append(" OR ");
            sql.append(column).append(" LIKE ? ESCAPE '!'");
            args.add(like(patterns.get(i)));
        }
        sql.append(')');
    }

    static String like(String glob) {
        StringBuilder out = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> out.append('%');
                case '?' -> out.append('_');
                case '%', '_', '!' -> out.append('!').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private SubscriptionScope scope(String name) {
        for (SubscriptionScope s : subscriptions.get()) if (s.name().equals(name)) return s;
        return null;
    }

    private Map<String, List<SubscriptionStatus>> statusesOf(List<IndexedEvent> events) {
        Map<String, List<SubscriptionStatus>> all = new LinkedHashMap<>();
        if (events.isEmpty()) return all;
        Map<String, Map<String, SubscriptionStatus>> stored = new LinkedHashMap<>();
        StringBuilder in = new StringBuilder();
        List<Object> ids = new ArrayList<>();
        for (IndexedEvent e : events) {
            in.append(in.isEmpty() ? "?" : ", ?");
            ids.add(e.id());
        }
        jdbc.query("SELECT event_id, subscription, status, attempts, updated_at FROM " + STATUSES + " WHERE event_id IN (" + in + ")",
                rs -> {
                    EventStatus status = EventStatus.fromWire(rs.getString(3));
                    if (status == null) return;
                    stored.computeIfAbsent(rs.getString(1), k -> new java.util.TreeMap<>()).put(rs.getString(2),
                            new SubscriptionStatus(rs.getString(2), status, rs.getInt(4), Instant.ofEpochMilli(rs.getLong(5))));
                }, ids.toArray());
        List<SubscriptionScope> scopes = subscriptions.get();
        for (IndexedEvent e : events) {
            Map<String, SubscriptionStatus> byName = new java.util.TreeMap<>(stored.getOrDefault(e.id(), Map.of()));
            for (SubscriptionScope scope : scopes) {
                if (!byName.containsKey(scope.name())
                        && new io.hookbridge.delivery.EventFilter(scope.types(), scope.sources()).matches(e.type(), e.source())) {
                    byName.put(scope.name(), new SubscriptionStatus(scope.name(), EventStatus.PENDING, 0, null));
                }
            }
            all.put(e.id(), List.copyOf(byName.values()));
        }
        return all;
    }

    private static IndexedEvent event(ResultSet rs) throws SQLException {
        return new IndexedEvent(rs.getLong("seq"), rs.getString("id"), rs.getString("source"), rs.getString("type"),
                rs.getString("subject"), Instant.ofEpochMilli(rs.getLong("received_at")), rs.getString("event"));
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(SqlWork work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("event index: " + e.getMessage(), e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    @Override
    public void destroy() throws InterruptedException {
        closed = true;
        if (writer != null) writer.join(10_000);
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("event index: the last statuses could not be written on shutdown: {}", e.toString());
        } finally {
            if (ownsDataSource && dataSource instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.debug("event index: closing its database: {}", e.toString());
                }
            }
        }
    }
}
