package io.hookbridge.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import io.hookbridge.config.HookBridgeProperties;

/**
 * The accepted event ids in a database every instance shares (PostgreSQL when scaling out), kept for the
 * configured retention across restarts.
 * <p>
 * The primary key decides: the row that goes in first wins, every other attempt is a duplicate. Ingest admits a
 * whole group commit at once ({@link #admit}): one SELECT and one batched INSERT in one transaction per batch,
 * instead of a transaction per webhook (which serialized all request threads on the table's lock). Camel's JDBC
 * message-id repository was dropped for that reason: a SELECT COUNT, INSERT and COMMIT per message, throwing
 * rather than answering on a concurrent insert.
 */
public class JdbcEventIds extends EventIds {

    private static final Logger log = LoggerFactory.getLogger(JdbcEventIds.class);
    static final String TABLE = "HOOKBRIDGE_EVENT_IDS";
    private static final String INSERT = "INSERT INTO " + TABLE + " (EVENT_KEY, CREATED_AT) VALUES (?, ?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final HookBridgeProperties.Idempotency settings;

    public JdbcEventIds(DataSource idempotencyDataSource, HookBridgeProperties properties) {
        this.jdbc = new JdbcTemplate(idempotencyDataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(idempotencyDataSource));
        this.settings = properties.getIdempotency();
        createTable();
    }

    @Override
    public Set<String> admit(List<String> keys) {
        Set<String> unique = new LinkedHashSet<>(keys);
        if (unique.isEmpty()) return Set.of();
        String in = String.join(",", java.util.Collections.nCopies(unique.size(), "?"));
        Set<String> seen = new HashSet<>(jdbc.queryForList("SELECT EVENT_KEY FROM " + TABLE + " WHERE EVENT_KEY IN (" + in + ")",
                String.class, unique.toArray()));
        List<String> fresh = unique.stream().filter(k -> !seen.contains(k)).toList();
        if (fresh.isEmpty()) return Set.of();
        Timestamp now = Timestamp.from(Instant.now());
        // inserted in key order, so two batches sharing keys lock rows in the same order and cannot deadlock
        List<Object[]> rows = fresh.stream().sorted().map(k -> new Object[] {k, now}).toList();
        try {
            transaction.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, rows));
            return new LinkedHashSet<>(fresh);
        } catch (DataIntegrityViolationException | TransientDataAccessException raced) {
            // another batch (another instance sharing the database) took one of them meanwhile: key by key
            Set<String> admitted = new LinkedHashSet<>();
            for (String key : fresh) if (rememberKey(key)) admitted.add(key);
            return admitted;
        }
    }

    @Override
    public void revoke(Collection<String> keys) {
        if (keys.isEmpty()) return;
        jdbc.batchUpdate("DELETE FROM " + TABLE + " WHERE EVENT_KEY = ?", keys.stream().map(k -> new Object[] {k}).toList());
    }

    private void createTable() {
        try {
            jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (EVENT_KEY VARCHAR(" + MAX_KEY_LENGTH + ") PRIMARY KEY, CREATED_AT TIMESTAMP NOT NULL)");
            jdbc.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_CREATED ON " + TABLE + " (CREATED_AT)");
        } catch (DataAccessException e) {
            // another instance sharing the database created it at the same moment
            jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE 1 = 0", Integer.class);
        }
    }

    private boolean rememberKey(String key) {
        try {
            jdbc.update(INSERT, key, Timestamp.from(Instant.now()));
            return true;
        } catch (DuplicateKeyException seenBefore) {
            return false;
        }
    }

    @Override
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void prune() {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(settings.getRetention()));
        int pruned = jdbc.update("DELETE FROM " + TABLE + " WHERE CREATED_AT < ?", cutoff);
        if (pruned > 0) log.info("forgot {} event id(s) older than {}", pruned, settings.getRetention());
    }
}
