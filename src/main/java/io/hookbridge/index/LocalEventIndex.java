package io.hookbridge.index;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import io.hookbridge.delivery.EventFilter;
import io.hookbridge.ingest.KeyValueFiles;

/**
 * The event index of a single instance, in a key-value file under the data dir (H2's MVStore, without SQL; an SQL
 * table in an H2 file cost the gateway 2.4 times its CPU per webhook). Every map is keyed so that what is written
 * now lands in its newest leaves, which stay cached, never in a random one:
 * <ul>
 * <li>events: sequence number → what a list filters by (received at, id and its digest, source, type, subject);</li>
 * <li>bodies: sequence number → the canonical event's JSON, read only for the events a page shows;</li>
 * <li>by id: a {@link KeyValueFiles.IdsByBlock}, for {@link #find}, as the attempt log has;</li>
 * <li>statuses: (received at, the id's digest, the subscription's digest) → the status. Deliveries know both the
 *     id and when the broker took the event ({@link io.hookbridge.broker.EventMessages#RECEIVED}), so a status is
 *     written without looking its event up, and an event's statuses are one range.</li>
 * </ul>
 * Sequence order is the order the publishers committed in, so received-at order but for a few milliseconds
 * between publishers; time bounds allow {@value #ORDER_SLACK_MILLIS} ms for it and then filter exactly.
 */
public class LocalEventIndex extends EventIndex {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LocalEventIndex.class);
    static final long ORDER_SLACK_MILLIS = 60_000;

    private final Path file;
    private MVStore store;
    private MVMap<Long, byte[]> events;
    private MVMap<Long, byte[]> bodies;
    private KeyValueFiles.IdsByBlock byId;
    private MVMap<long[], byte[]> statuses;
    private long lastSeq;
    /** The subscriptions' digests, on the writer thread. */
    private final Map<String, Long> subscriptionKeys = new HashMap<>();

    public LocalEventIndex(Path file, EventIndexProperties settings, Supplier<List<SubscriptionScope>> subscriptions,
                           MeterRegistry meters) {
        super(settings, subscriptions, meters);
        this.file = file;
    }

    /** What a list looks at of each event, without its body. */
    record Entry(long seq, long receivedAt, long digestHigh, long digestLow, String id, String source, String type, String subject) {

        IndexedEvent withBody(String json) {
            return new IndexedEvent(seq, id, source, type, subject, Instant.ofEpochMilli(receivedAt), json);
        }
    }

    @Override
    protected void open() {
        try {
            store = KeyValueFiles.open(file, KeyValueFiles.SMALL_CACHE);
        } catch (org.h2.mvstore.MVStoreException e) {
            // an operator's record must not keep webhooks out: the unreadable file is kept aside, a new one begun
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            try {
                java.nio.file.Files.move(file, aside);
            } catch (java.io.IOException moveFailed) {
                throw new IllegalStateException("the event index " + file + " cannot be read (" + e.getMessage()
                        + ") nor moved aside: " + moveFailed.getMessage(), e);
            }
            log.warn("the event index {} could not be read ({}); it is kept as {} and a new index begun", file, e.getMessage(), aside);
            store = KeyValueFiles.open(file, KeyValueFiles.SMALL_CACHE);
        }
        events = store.openMap("events");
        bodies = store.openMap("bodies");
        byId = new KeyValueFiles.IdsByBlock(store, "events-by-block-and-id");
        statuses = store.openMap("statuses-by-time-and-id", new MVMap.Builder<long[], byte[]>()
                .keyType(KeyValueFiles.LongsKey.FOUR));
        Long last = events.lastKey();
        lastSeq = last == null ? 0 : last;
    }

    @Override
    protected void close() {
        if (store != null && !store.isClosed()) store.close();
    }

    // ---- writes ----

    @Override
    protected void storeEvents(List<Accepted> batch) {
        for (Accepted e : batch) {
            String id = clip(e.id(), MAX_ID);
            UUID digest = KeyValueFiles.digest(id);
            long seq = ++lastSeq;
            events.put(seq, encode(e.receivedAt(), digest, id, clip(e.source(), 200), clip(e.type(), 300), clip(e.subject(), 500)));
            bodies.put(seq, e.json());
            byId.put(digest, seq);
        }
    }

    @Override
    protected void storeStatuses(List<StatusChange> batch) {
        for (StatusChange s : batch) {
            UUID digest = KeyValueFiles.digest(clip(s.eventId(), MAX_ID));
            String subscription = clip(s.subscription(), 200);
            long key = subscriptionKeys.computeIfAbsent(subscription, n -> KeyValueFiles.digest(n).getMostSignificantBits());
            statuses.put(new long[] {s.receivedAt(), digest.getMostSignificantBits(), digest.getLeastSignificantBits(), key},
                    encodeStatus(subscription, s.status(), s.attempts(), s.at()));
        }
    }

    @Override
    protected long removeOld(long cutoffMillis, long max) {
        long removed = 0;
        for (Long seq = events.firstKey(); seq != null; seq = events.firstKey()) {
            Entry e = decode(seq, events.get(seq));
            if (e.receivedAt() >= cutoffMillis && events.sizeAsLong() <= max) break;
            events.remove(seq);
            bodies.remove(seq);
            byId.remove(new UUID(e.digestHigh(), e.digestLow()), seq);
            removed++;
        }
        // the statuses of the events gone, and of events never indexed here, as old
        Long first = events.firstKey();
        long before = first == null ? cutoffMillis : Math.min(cutoffMillis, decode(first, events.get(first)).receivedAt() - ORDER_SLACK_MILLIS);
        for (long[] key = statuses.firstKey(); key != null && key[0] < before; key = statuses.firstKey()) statuses.remove(key);
        return removed;
    }

    @Override
    protected long count() {
        return events.sizeAsLong();
    }

    // ---- reads ----

    @Override
    protected IndexedEvent stored(String id) {
        List<Long> seqs = byId.seqs(KeyValueFiles.digest(id));
        for (int i = seqs.size() - 1; i >= 0; i--) {
            IndexedEvent e = withBody(seqs.get(i));
            if (e != null && id.equals(e.id())) return e;
        }
        return null;
    }

    private IndexedEvent withBody(long seq) {
        byte[] entry = events.get(seq);
        if (entry == null) return null;
        byte[] body = bodies.get(seq);
        return decode(seq, entry).withBody(body == null ? null : new String(body, StandardCharsets.UTF_8));
    }

    @Override
    protected Map<String, List<SubscriptionStatus>> storedStatuses(List<IndexedEvent> list) {
        Map<String, List<SubscriptionStatus>> all = new LinkedHashMap<>();
        for (IndexedEvent e : list) {
            UUID digest = KeyValueFiles.digest(e.id());
            all.put(e.id(), statusesOf(e.receivedAt().toEpochMilli(), digest.getMostSignificantBits(), digest.getLeastSignificantBits()));
        }
        return all;
    }

    private List<SubscriptionStatus> statusesOf(long receivedAt, long high, long low) {
        List<SubscriptionStatus> found = new ArrayList<>(2);
        for (long[] key = statuses.ceilingKey(new long[] {receivedAt, high, low, Long.MIN_VALUE});
                key != null && key[0] == receivedAt && key[1] == high && key[2] == low; key = statuses.higherKey(key)) {
            SubscriptionStatus s = decodeStatus(statuses.get(key));
            if (s != null) found.add(s);
        }
        return found;
    }

    @Override
    protected Page query(EventQuery q, int limit) {
        Long lastKey = events.lastKey();
        if (lastKey == null) return new Page(List.of(), Map.of(), null, 0);
        long from = q.before() != null ? Math.min(q.before() - 1, lastKey) : lastKey;
        if (q.until() != null) from = Math.min(from, lastBefore(q.until().toEpochMilli() + ORDER_SLACK_MILLIS));
        Matcher matcher = new Matcher(q);
        List<IndexedEvent> found = new ArrayList<>();
        long scanned = 0;
        Long nextCursor = null;
        if (from >= 1) {
            Cursor<Long, byte[]> walk = events.cursor(from, null, true);
            while (walk.hasNext()) {
                if (scanned >= MAX_SCAN) {
                    nextCursor = walk.next() + 1; // looks at this one first next time
                    break;
                }
                long seq = walk.next();
                scanned++;
                Entry e = decode(seq, walk.getValue());
                if (q.since() != null && e.receivedAt() < q.since().toEpochMilli() - ORDER_SLACK_MILLIS) break;
                if (!matcher.matches(e)) continue;
                byte[] body = bodies.get(seq);
                found.add(e.withBody(body == null ? null : new String(body, StandardCharsets.UTF_8)));
                if (found.size() >= limit) {
                    if (walk.hasNext()) nextCursor = seq;
                    break;
                }
            }
        }
        return new Page(found, Map.of(), nextCursor, scanned);
    }

    /** The highest sequence number received before {@code millis}, near enough (sequence order is nearly time order). */
    private long lastBefore(long millis) {
        long low = events.firstKey(), high = events.lastKey();
        if (decode(high, events.get(high)).receivedAt() < millis) return high;
        long answer = low - 1;
        while (low <= high) {
            long mid = (low + high) >>> 1;
            Long at = events.ceilingKey(mid);
            if (at == null || at > high) {
                high = mid - 1;
                continue;
            }
            if (decode(at, events.get(at)).receivedAt() < millis) {
                answer = at;
                low = at + 1;
            } else {
                high = mid - 1;
            }
        }
        return answer;
    }

    /** {@link EventQuery}'s filter over entries: the same answers as {@link SharedEventIndex}'s SQL. */
    private final class Matcher {
        private final EventQuery q;
        private final List<SubscriptionScope> pendingScopes = new ArrayList<>();
        private final List<EventFilter> pendingFilters = new ArrayList<>();
        private final EventFilter subscriptionFilter;

        Matcher(EventQuery q) {
            this.q = q;
            SubscriptionScope named = q.subscription() == null ? null : scope(q.subscription());
            subscriptionFilter = named == null ? null : new EventFilter(named.types(), named.sources());
            if (q.status() == EventStatus.PENDING) {
                for (SubscriptionScope s : q.subscription() == null ? subscriptions.get() : named == null ? List.<SubscriptionScope>of() : List.of(named)) {
                    pendingScopes.add(s);
                    pendingFilters.add(new EventFilter(s.types(), s.sources()));
                }
            }
        }

        boolean matches(Entry e) {
            if (q.source() != null && !q.source().equals(e.source())) return false;
            if (q.type() != null && !q.type().equals(e.type())) return false;
            if (q.subject() != null && !q.subject().equals(e.subject())) return false;
            if (q.since() != null && e.receivedAt() < q.since().toEpochMilli()) return false;
            if (q.until() != null && e.receivedAt() >= q.until().toEpochMilli()) return false;
            if (q.status() == null && q.subscription() == null) return true;
            List<SubscriptionStatus> stored = statusesOf(e.receivedAt(), e.digestHigh(), e.digestLow());
            if (q.status() == null) {
                // every event that subscription has an outcome for or takes
                return has(stored, q.subscription(), null) || subscriptionFilter != null && subscriptionFilter.matches(e.type(), e.source());
            }
            if (q.status() != EventStatus.PENDING) return has(stored, q.subscription(), q.status());
            if (has(stored, q.subscription(), EventStatus.PENDING)) return true;
            for (int i = 0; i < pendingScopes.size(); i++) {
                if (!has(stored, pendingScopes.get(i).name(), null) && pendingFilters.get(i).matches(e.type(), e.source())) return true;
            }
            return false;
        }

        private static boolean has(List<SubscriptionStatus> stored, String subscription, EventStatus status) {
            for (SubscriptionStatus s : stored) {
                if ((subscription == null || subscription.equals(s.subscription())) && (status == null || status == s.status())) return true;
            }
            return false;
        }
    }

    // ---- encoding ----

    private static byte[] encode(long receivedAt, UUID digest, String id, String source, String type, String subject) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(receivedAt);
            out.writeLong(digest.getMostSignificantBits());
            out.writeLong(digest.getLeastSignificantBits());
            KeyValueFiles.writeText(out, id);
            KeyValueFiles.writeText(out, source);
            KeyValueFiles.writeText(out, type);
            KeyValueFiles.writeText(out, subject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Entry decode(long seq, byte[] row) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(row))) {
            return new Entry(seq, in.readLong(), in.readLong(), in.readLong(), KeyValueFiles.readText(in),
                    KeyValueFiles.readText(in), KeyValueFiles.readText(in), KeyValueFiles.readText(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encodeStatus(String subscription, EventStatus status, int attempts, long at) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(subscription);
            out.writeUTF(status.wire());
            out.writeInt(attempts);
            out.writeLong(at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static SubscriptionStatus decodeStatus(byte[] row) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(row))) {
            String subscription = in.readUTF();
            EventStatus status = EventStatus.fromWire(in.readUTF());
            int attempts = in.readInt();
            Instant at = Instant.ofEpochMilli(in.readLong());
            return status == null ? null : new SubscriptionStatus(subscription, status, attempts, at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
