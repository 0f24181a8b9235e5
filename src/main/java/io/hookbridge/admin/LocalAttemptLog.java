package io.hookbridge.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import io.hookbridge.delivery.DeliveryAttempt;
import io.hookbridge.ingest.KeyValueFiles;

/**
 * The attempt log of a single instance, in a key-value file under the data dir (H2's MVStore, without SQL): the
 * attempts by sequence number, and an index from event id to them. It replaced an SQL table for the
 * single-instance case, where its inserts (two B-tree indexes through the SQL engine) were ~14% of the gateway's
 * CPU at full delivery. Written within {@value KeyValueFiles#WRITE_DELAY_MS} ms of being recorded and on shutdown; a crash can
 * lose the attempts of that last moment (an operator's record, not a delivery).
 * <p>
 * The index from event id to attempts is a {@link KeyValueFiles.IdsByBlock}: keyed by the id first, every attempt
 * recorded landed in a random leaf that had to be read back from the file and rewritten (the attempt log was ~16%
 * of the gateway's CPU delivering 1,600 events/s). A file whose index is keyed by the ids' text (from before) has
 * it rebuilt from the attempts when it is opened.
 */
public class LocalAttemptLog extends QueuedAttemptLog {

    private static final String BY_EVENT = "attempts-by-block-and-event";
    private static final String TEXT_BY_EVENT = "attempts-by-event";
    private static final int MAX_EVENT_ID = 500;

    private final Path file;
    private MVStore store;
    /** sequence number → the attempt, encoded */
    private MVMap<Long, byte[]> attempts;
    private KeyValueFiles.IdsByBlock byEvent;
    private long lastSeq;

    public LocalAttemptLog(Path file, AttemptLogProperties settings, MeterRegistry meters) {
        super(settings, meters);
        this.file = file;
    }

    @Override
    protected void open() {
        store = KeyValueFiles.open(file, KeyValueFiles.SMALL_CACHE);
        attempts = store.openMap("attempts");
        byEvent = new KeyValueFiles.IdsByBlock(store, BY_EVENT);
        if (store.hasMap(TEXT_BY_EVENT)) {
            for (Cursor<Long, byte[]> all = attempts.cursor(null); all.hasNext(); ) {
                Long seq = all.next();
                index(decode(all.getValue()).eventId(), seq);
            }
            store.removeMap(TEXT_BY_EVENT);
        }
        Long last = attempts.lastKey();
        lastSeq = last == null ? 0 : last;
    }

    @Override
    protected void close() {
        if (store != null && !store.isClosed()) store.close();
    }

    @Override
    protected void store(List<DeliveryAttempt> batch) {
        for (DeliveryAttempt attempt : batch) {
            long seq = ++lastSeq;
            attempts.put(seq, encode(attempt));
            index(clip(attempt.eventId(), MAX_EVENT_ID), seq);
        }
    }

    private void index(String eventId, long seq) {
        byEvent.put(KeyValueFiles.digest(eventId), seq);
    }

    @Override
    protected List<DeliveryAttempt> stored(String eventId) {
        String id = clip(eventId, MAX_EVENT_ID);
        List<DeliveryAttempt> found = new ArrayList<>();
        for (long seq : byEvent.seqs(KeyValueFiles.digest(id))) {
            byte[] row = attempts.get(seq);
            if (row == null) continue;
            DeliveryAttempt attempt = decode(row);
            if (id.equals(attempt.eventId())) found.add(attempt);
        }
        found.sort(Comparator.comparing(DeliveryAttempt::time)); // stable: equal times stay in sequence order
        return found;
    }

    @Override
    protected long removeOlderThan(long cutoffMillis) {
        long removed = 0;
        // sequence order is recording order, which is attempt-time order but for attempts racing to be queued
        for (Long seq = attempts.firstKey(); seq != null; seq = attempts.higherKey(seq)) {
            DeliveryAttempt attempt = decode(attempts.get(seq));
            if (attempt.time().toEpochMilli() >= cutoffMillis) break;
            remove(seq, attempt);
            removed++;
        }
        return removed;
    }

    @Override
    protected long removeOldestBeyond(long max) {
        long removed = 0;
        while (attempts.sizeAsLong() > max) {
            Long seq = attempts.firstKey();
            remove(seq, decode(attempts.get(seq)));
            removed++;
        }
        return removed;
    }

    private void remove(long seq, DeliveryAttempt attempt) {
        attempts.remove(seq);
        byEvent.remove(KeyValueFiles.digest(attempt.eventId()), seq);
    }

    @Override
    protected long count() {
        return attempts.sizeAsLong();
    }

    private static byte[] encode(DeliveryAttempt a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            KeyValueFiles.writeText(out, clip(a.subscription(), 200));
            KeyValueFiles.writeText(out, clip(a.eventId(), MAX_EVENT_ID));
            KeyValueFiles.writeText(out, clip(a.source(), 200));
            KeyValueFiles.writeText(out, clip(a.type(), 300));
            out.writeInt(a.attempt());
            out.writeLong((a.time() == null ? Instant.now() : a.time()).toEpochMilli());
            out.writeInt(a.status());
            out.writeLong(a.durationMillis());
            KeyValueFiles.writeText(out, clip(a.error(), 2000));
            KeyValueFiles.writeText(out, clip(a.responseBody(), DeliveryAttempt.MAX_RESPONSE_BODY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static DeliveryAttempt decode(byte[] row) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(row))) {
            String subscription = KeyValueFiles.readText(in), eventId = KeyValueFiles.readText(in), source = KeyValueFiles.readText(in), type = KeyValueFiles.readText(in);
            int attempt = in.readInt();
            Instant time = Instant.ofEpochMilli(in.readLong());
            int status = in.readInt();
            long duration = in.readLong();
            String error = KeyValueFiles.readText(in);
            // attempts written before response bodies were kept end here
            String responseBody = in.available() > 0 ? KeyValueFiles.readText(in) : null;
            return new DeliveryAttempt(subscription, eventId, source, type, attempt, time, status, duration, error, responseBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
