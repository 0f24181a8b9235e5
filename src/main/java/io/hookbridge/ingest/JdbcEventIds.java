package io.hookbridge.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import io.hookbridge.config.HookBridgeProperties;

/**
 * The accepted event ids in a database every instance shares (PostgreSQL when scaling out), kept for the
 * configured retention across restarts.
 * <p>
 * The primary key decides: the row that goes in first wins, every other attempt is a duplicate. Ingest reserves a
 * whole group commit's ids at once ({@link #reserve}): one SELECT and one batched INSERT, in a database transaction
 * that stays open while the publisher commits the events to the broker, and is committed after it
 * ({@link Reservation#confirm}) or rolled back ({@link Reservation#release}). Another instance inserting the same id
 * meanwhile waits on the row and then sees the outcome; a process that dies before the database commit leaves no
 * row (the server rolls its transaction back), so the vendor's retry is stored: perhaps twice, never not at all.
 */
public class JdbcEventIds extends EventIds {

    private static final Logger log = LoggerFactory.getLogger(JdbcEventIds.class);
    static final String TABLE = "HOOKBRIDGE_EVENT_IDS";
    private static final String INSERT = "INSERT INTO " + TABLE + " (EVENT_KEY, CREATED_AT) VALUES (?, ?)";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final HookBridgeProperties.Idempotency settings;

    public JdbcEventIds(DataSource idempotencyDataSource, HookBridgeProperties properties) {
        this.dataSource = idempotencyDataSource;
        this.jdbc = new JdbcTemplate(idempotencyDataSource);
        this.settings = properties.getIdempotency();
        createTable();
    }

    @Override
    public Reservation reserve(List<String> keys) {
        Set<String> unique = new LinkedHashSet<>(keys);
        if (unique.isEmpty()) return new Held(null, Set.of());
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            // a conflict means another transaction inserted one of the keys and has committed it: look again
            for (int round = 0; ; round++) {
                Set<String> fresh = unseen(connection, unique);
                try {
                    insert(connection, fresh);
                    return new Held(connection, fresh);
                } catch (SQLException conflict) {
                    connection.rollback();
                    if (round >= unique.size() || !isConflict(conflict)) throw conflict;
                }
            }
        } catch (SQLException | RuntimeException e) {
            close(connection);
            throw new IllegalStateException("the shared id store failed: " + e.getMessage(), e);
        }
    }

    private static Set<String> unseen(Connection connection, Set<String> keys) throws SQLException {
        String in = String.join(",", Collections.nCopies(keys.size(), "?"));
        Set<String> seen = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT EVENT_KEY FROM " + TABLE + " WHERE EVENT_KEY IN (" + in + ")")) {
            int i = 1;
            for (String key : keys) select.setString(i++, key);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) seen.add(rows.getString(1));
            }
        }
        Set<String> fresh = new LinkedHashSet<>(keys);
        fresh.removeAll(seen);
        return fresh;
    }

    private static void insert(Connection connection, Set<String> keys) throws SQLException {
        if (keys.isEmpty()) return;
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            // in key order, so two batches sharing keys lock rows in the same order and cannot deadlock
            for (String key : keys.stream().sorted().toList()) {
                insert.setString(1, key);
                insert.setTimestamp(2, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A unique-key violation (SQLSTATE 23xxx), a deadlock or serialization failure (40xxx), or H2's lock timeout. */
    private static boolean isConflict(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("23") || state.startsWith("40") || state.equals("HYT00"))) return true;
            if (x.getNextException() == x) break;
        }
        return false;
    }

    /** The keys inserted, uncommitted, in the connection's open transaction. */
    private static final class Held implements Reservation {
        private final Connection connection;
        private final Set<String> fresh;

        Held(Connection connection, Set<String> fresh) {
            this.connection = connection;
            this.fresh = fresh;
        }

        @Override
        public Set<String> fresh() {
            return fresh;
        }

        @Override
        public void confirm() {
            if (connection == null) return;
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new IllegalStateException("the shared id store could not commit " + fresh.size() + " id(s): " + e.getMessage(), e);
            } finally {
                JdbcEventIds.close(connection);
            }
        }

        @Override
        public void release() {
            if (connection == null) return;
            try {
                connection.rollback();
            } catch (SQLException e) {
                log.warn("rolling back {} reserved id(s) failed (the database drops them with the connection): {}", fresh.size(), e.toString());
            } finally {
                JdbcEventIds.close(connection);
            }
        }
    }

    private static void close(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing an id store connection: {}", e.toString());
        }
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

    @Override
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void prune() {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(settings.getRetention()));
        int pruned = jdbc.update("DELETE FROM " + TABLE + " WHERE CREATED_AT < ?", cutoff);
        if (pruned > 0) log.info("forgot {} event id(s) older than {}", pruned, settings.getRetention());
    }
}
