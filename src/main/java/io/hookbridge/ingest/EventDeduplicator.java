package io.hookbridge.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.hookbridge.config.HookBridgeProperties;

/**
 * Remembers which events were accepted, across restarts and across instances sharing the database, for the
 * configured retention (7 days by default). Keys are {@code <source>:<event id>}; ids too long are hashed.
 * <p>
 * One autocommitted INSERT per event, the primary key deciding: the row that goes in first wins, every other
 * attempt is a duplicate. (Camel's JDBC message-id repository does SELECT COUNT, INSERT and COMMIT in a
 * transaction: three times the work on ingest's hot path, and it throws rather than answers on a concurrent insert.)
 */
@Component
public class EventDeduplicator {

    private static final Logger log = LoggerFactory.getLogger(EventDeduplicator.class);
    static final String TABLE = "HOOKBRIDGE_EVENT_IDS";
    private static final int MAX_KEY_LENGTH = 200;

    private final JdbcTemplate jdbc;
    private final HookBridgeProperties.Idempotency settings;

    public EventDeduplicator(DataSource idempotencyDataSource, HookBridgeProperties properties) {
        this.jdbc = new JdbcTemplate(idempotencyDataSource);
        this.settings = properties.getIdempotency();
        createTable();
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

    /** @return true if the event was not seen before and is now remembered */
    public boolean remember(String sourceId, String eventId) {
        try {
            jdbc.update("INSERT INTO " + TABLE + " (EVENT_KEY, CREATED_AT) VALUES (?, ?)",
                    key(sourceId, eventId), Timestamp.from(Instant.now()));
            return true;
        } catch (DuplicateKeyException seenBefore) {
            return false;
        }
    }

    /** Forgets an event whose acceptance failed, so the vendor's retry is taken. */
    public void forget(String sourceId, String eventId) {
        jdbc.update("DELETE FROM " + TABLE + " WHERE EVENT_KEY = ?", key(sourceId, eventId));
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void prune() {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(settings.getRetention()));
        int pruned = jdbc.update("DELETE FROM " + TABLE + " WHERE CREATED_AT < ?", cutoff);
        if (pruned > 0) log.info("forgot {} event id(s) older than {}", pruned, settings.getRetention());
    }

    static String key(String sourceId, String eventId) {
        String key = sourceId + ":" + eventId;
        if (key.length() <= MAX_KEY_LENGTH) return key;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return sourceId + ":sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
