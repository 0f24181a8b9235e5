package io.hookbridge.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.hookbridge.config.HookBridgeProperties;

/**
 * Remembers which events were accepted, across restarts, for the configured retention (7 days by default).
 * Keys are {@code <source>:<event id>}; ids too long for the table are hashed.
 */
@Component
public class EventDeduplicator {

    private static final Logger log = LoggerFactory.getLogger(EventDeduplicator.class);
    private static final int MAX_KEY_LENGTH = 100;

    private final JdbcMessageIdRepository repository;
    private final JdbcTemplate jdbc;
    private final HookBridgeProperties.Idempotency settings;

    public EventDeduplicator(JdbcMessageIdRepository repository, DataSource idempotencyDataSource,
                             HookBridgeProperties properties) throws Exception {
        this.repository = repository;
        this.jdbc = new JdbcTemplate(idempotencyDataSource);
        this.settings = properties.getIdempotency();
        repository.start();
    }

    /** @return true if the event was not seen before and is now remembered */
    public boolean remember(String sourceId, String eventId) {
        try {
            return repository.add(key(sourceId, eventId));
        } catch (DataIntegrityViolationException concurrentInsert) {
            return false;
        }
    }

    /** Forgets an event whose acceptance failed, so the vendor's retry is taken. */
    public void forget(String sourceId, String eventId) {
        repository.remove(key(sourceId, eventId));
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void prune() {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(settings.getRetention()));
        int pruned = jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND createdAt < ?",
                IdempotencyConfiguration.PROCESSOR_NAME, cutoff);
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
