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
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;

import io.hookbridge.delivery.DeliveryAttempt;
import io.hookbridge.ingest.KeyValueFiles;

/**
 * The attempt log of a single instance, in a key-value file under the data dir (H2's MVStore, without SQL): the
 * attempts by sequence number, and an index from event id to them. It replaced an SQL table for the
 * single-instance case, where its inserts (two B-tree indexes through the SQL engine) were ~14% of the gateway's
 * CPU at full delivery. Written within {@value KeyValueFiles#WRITE_DELAY_MS} ms of being recorded and on shutdown; a crash can
 * lose the attempts of that last moment (an operator's record, not a delivery).
 * <p>
 * The index from event id to attempts is keyed by (block of 1,024 sequence numbers, the event id's
 * {@link KeyValueFiles#digest}, sequence number). Keyed by the id first, every attempt recorded landed in a random
 * leaf that had to be read back from the file and rewritten (the attempt log was ~16% of the gateway's CPU
 * delivering 1,600 events/s); with the block first, new entries fill the newest few leaves, which stay cached. A
 * lookup probes each block instead: about a thousand B-tree seeks at the default million entries, for a rare
 * operator's request. A file whose index is keyed by the ids' text (from before) has it rebuilt from the attempts
 * when it is opened.
 */
public class LocalAttemptLog extends QueuedAttemptLog {

    private static final String BY_EVENT = "attempts-by-block-and-event";
    private static final String TEXT_BY_EVENT = "attempts-by-event";
    private static final int MAX_EVENT_ID = 500;
    private static final int BLOCK_BITS = 10;

    private final Path file;
    private MVStore store;
    /** sequence number → the attempt, encoded */
    private MVMap<Long, byte[]> attempts;
    /** {block, digest of the event id (2 longs), sequence number} → 0 */
    private MVMap<long[], Long> byEvent;
    private long lastSeq;

    public LocalAttemptLog(Path file, AttemptLogProperties settings, MeterRegistry meters) {
        super(settings, meters);
        this.file = file;
    }

    @Override
    protected void open() {
        store = KeyValueFiles.open(file, KeyValueFiles.SMALL_CACHE);
        attempts = store.openMap("attempts");
        byEvent = store.openMap(BY_EVENT, new MVMap.Builder<long[], Long>().keyType(KeyValueFiles.LongsKey.FOUR)
                .valueType(LongDataType.INSTANCE));
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

    private static long[] indexKey(String eventId, long seq) {
        UUID digest = KeyValueFiles.digest(eventId);
        return new long[] {seq >>> BLOCK_BITS, digest.getMostSignificantBits(), digest.getLeastSignificantBits(), seq};
    }

    private void index(String eventId, long seq) {
        byEvent.put(indexKey(eventId, seq), 0L);
    }

    @Override
    protected List<DeliveryAttempt> stored(String eventId) {
        String id = clip(eventId, MAX_EVENT_ID);
        List<DeliveryAttempt> found = new ArrayList<>();
        long[] first = byEvent.firstKey();
        long[] last = byEvent.lastKey();
        if (first == null) return found;
        long[] probe = indexKey(id, 0);
        for (long block = first[0]; block <= last[0]; block++) {
            probe[0] = block;
            for (long[] key = byEvent.ceilingKey(probe); key != null && key[0] == block && key[1] == probe[1] && key[2] == probe[2];
                    key = byEvent.higherKey(key)) {
                byte[] row = attempts.get(key[3]);
                if (row == null) continue;
                DeliveryAttempt attempt = decode(row);
                if (id.equals(attempt.eventId())) found.add(attempt);
            }
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
            writeText(out, clip(a.responseBody(), DeliveryAttempt.MAX_RESPONSE_BODY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static DeliveryAttempt decode(byte[] row) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(row))) {
            String subscription = readText(in), eventId = readText(in), source = readText(in), type = readText(in);
            int attempt = in.readInt();
            Instant time = Instant.ofEpochMilli(in.readLong());
            int status = in.readInt();
            long duration = in.readLong();
            String error = readText(in);
            // attempts written before response bodies were kept end here
            String responseBody = in.available() > 0 ? readText(in) : null;
            return new DeliveryAttempt(subscription, eventId, source, type, attempt, time, status, duration, error, responseBody);
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
