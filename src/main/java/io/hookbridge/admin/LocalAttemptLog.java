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
 */
public class LocalAttemptLog extends QueuedAttemptLog {

    private static final char SEPARATOR = '\u0000';

    private final Path file;
    private MVStore store;
    /** sequence number → the attempt, encoded */
    private MVMap<Long, byte[]> attempts;
    /** event id, separator, sequence number (fixed width) → sequence number */
    private MVMap<String, Long> byEvent;
    private long lastSeq;

    public LocalAttemptLog(Path file, AttemptLogProperties settings, MeterRegistry meters) {
        super(settings, meters);
        this.file = file;
    }

    @Override
    protected void open() {
        store = KeyValueFiles.open(file);
        attempts = store.openMap("attempts");
        byEvent = store.openMap("attempts-by-event");
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
            byEvent.put(indexKey(clip(attempt.eventId(), 500), seq), seq);
        }
    }

    @Override
    protected List<DeliveryAttempt> stored(String eventId) {
        String prefix = eventId + SEPARATOR;
        List<DeliveryAttempt> found = new ArrayList<>();
        for (Cursor<String, Long> index = byEvent.cursor(prefix); index.hasNext(); ) {
            if (!index.next().startsWith(prefix)) break;
            byte[] row = attempts.get(index.getValue());
            if (row != null) found.add(decode(row));
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
        byEvent.remove(indexKey(attempt.eventId(), seq));
    }

    @Override
    protected long count() {
        return attempts.sizeAsLong();
    }

    private static String indexKey(String eventId, long seq) {
        String digits = Long.toString(seq);
        return eventId + SEPARATOR + "0".repeat(19 - digits.length()) + digits;
    }

    private static byte[] encode(DeliveryAttempt a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeText(out, clip(a.subscription(), 200));
            writeText(out, clip(a.eventId(), 500));
            writeText(out, clip(a.source(), 200));
            writeText(out, clip(a.type(), 300));
            out.writeInt(a.attempt());
            out.writeLong((a.time() == null ? Instant.now() : a.time()).toEpochMilli());
            out.writeInt(a.status());
            out.writeLong(a.durationMillis());
            writeText(out, clip(a.error(), 2000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static DeliveryAttempt decode(byte[] row) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(row))) {
            return new DeliveryAttempt(readText(in), readText(in), readText(in), readText(in), in.readInt(),
                    Instant.ofEpochMilli(in.readLong()), in.readInt(), in.readLong(), readText(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) out.writeUTF(text);
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
