package io.hookbridge.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;

import io.hookbridge.delivery.DeliveryAttempt;
import io.hookbridge.ingest.KeyValueFiles;

/**
 * The attempt log of a single instance, in a key-value file under the data dir (H2's MVStore, without SQL): the
 * attempts by sequence number, and an index from event id to them. It replaced an SQL table for the
 * single-instance case, where its inserts (two B-tree indexes through the SQL engine) were ~14% of the gateway's
 * CPU at full delivery. Written within {@value KeyValueFiles#WRITE_DELAY_MS} ms of being recorded and on shutdown; a crash can
 * lose the attempts of that last moment (an operator's record, not a delivery).
 * <p>
 * The index is keyed by the event id's {@link KeyValueFiles#digest}; a file whose index is keyed by the ids' text
 * (from before) has it rebuilt from the attempts when it is opened.
 */
public class LocalAttemptLog extends QueuedAttemptLog {

    private static final String BY_EVENT = "attempts-by-event-digest";
    private static final String TEXT_BY_EVENT = "attempts-by-event";
    private static final int MAX_EVENT_ID = 500;

    private final Path file;
    private MVStore store;
    /** sequence number → the attempt, encoded */
    private MVMap<Long, byte[]> attempts;
    /** digest of the event id → the sequence numbers of its attempts, 8 bytes each */
    private MVMap<UUID, byte[]> byEvent;
    private long lastSeq;

    public LocalAttemptLog(Path file, AttemptLogProperties settings, MeterRegistry meters) {
        super(settings, meters);
        this.file = file;
    }

    @Override
    protected void open() {
        store = KeyValueFiles.open(file);
        attempts = store.openMap("attempts");
        byEvent = store.openMap(BY_EVENT, new MVMap.Builder<UUID, byte[]>().keyType(KeyValueFiles.DigestType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
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
        UUID key = KeyValueFiles.digest(eventId);
        byte[] seqs = byEvent.get(key);
        byte[] more = seqs == null ? new byte[Long.BYTES] : Arrays.copyOf(seqs, seqs.length + Long.BYTES);
        ByteBuffer.wrap(more).putLong(more.length - Long.BYTES, seq);
        byEvent.put(key, more);
    }

    @Override
    protected List<DeliveryAttempt> stored(String eventId) {
        String id = clip(eventId, MAX_EVENT_ID);
        List<DeliveryAttempt> found = new ArrayList<>();
        byte[] seqs = byEvent.get(KeyValueFiles.digest(id));
        if (seqs == null) return found;
        for (ByteBuffer each = ByteBuffer.wrap(seqs); each.hasRemaining(); ) {
            byte[] row = attempts.get(each.getLong());
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
        UUID key = KeyValueFiles.digest(attempt.eventId());
        byte[] seqs = byEvent.get(key);
        if (seqs == null) return;
        ByteBuffer others = ByteBuffer.allocate(seqs.length);
        for (ByteBuffer each = ByteBuffer.wrap(seqs); each.hasRemaining(); ) {
            long other = each.getLong();
            if (other != seq) others.putLong(other);
        }
        if (others.position() == 0) byEvent.remove(key);
        else byEvent.put(key, Arrays.copyOf(others.array(), others.position()));
    }

    @Override
    protected long count() {
        return attempts.sizeAsLong();
    }

    private static byte[] encode(DeliveryAttempt a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeText(out, clip(a.subscription(), 200));
            writeText(out, clip(a.eventId(), MAX_EVENT_ID));
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
