package io.hookbridge.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.hookbridge.broker.Admission;

/**
 * Remembers which events were accepted, for the configured retention (7 days by default), so the same event
 * is stored once. Keys are {@code <source>:<event id>}; ids too long are hashed. Two stores: {@link LocalEventIds}
 * (a file under the data dir, one instance) and {@link JdbcEventIds} (a database every instance shares).
 */
public abstract class EventIds implements Admission, AutoCloseable {

    static final int MAX_KEY_LENGTH = 200;

    /** @return true if the event was not seen before and is now remembered */
    public boolean remember(String sourceId, String eventId) {
        return !admit(List.of(key(sourceId, eventId))).isEmpty();
    }

    /** Reserves and at once confirms: for callers with nothing durable to do in between. */
    public Set<String> admit(List<String> keys) {
        Reservation reservation = reserve(keys);
        reservation.confirm();
        return reservation.fresh();
    }

    /** Forgets the ids older than the retention. */
    public abstract void prune();

    @Override
    public void close() { }

    public static String key(String sourceId, String eventId) {
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
