package io.hookbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The accepted event ids of a single instance, in hash-table files under the data dir ({@link IdTable}): a new
 * id costs one 32-byte positional write, and a lookup reads the file only when a table's in-heap filter says the
 * id may be in it. This replaced a B-tree file (H2's MVStore) whose lookups read about five pages from the file
 * per table and whose inserts rewrote a random leaf: ~9 us of CPU per webhook in bench/run's fresh store and
 * ~13 us once the store held a whole retention ({@code bench/id-store-aging}).
 * <p>
 * Ids are kept in time buckets half the retention wide (3.5 days with the default 7), so forgetting old ids
 * deletes whole files; each id carries its acceptance time, and an id older than the retention counts as unseen.
 * A bucket holds one table or more: a table is filled to 70% and then the next one, twice its size, is started;
 * a new bucket's first table is sized from the bucket before it. An expired bucket is deleted whole, so ids stay on
 * disk up to 1.5 times the retention.
 * <p>
 * An id is written to its table only after its event is committed to the broker ({@link Reservation#confirm});
 * until then it is held in the heap, so a concurrent copy is not admitted twice. A crash in between forgets it, and
 * the vendor's retry is stored again: a duplicate delivery, never a lost event. The write is in the operating
 * system's hands at once: a crash of the process forgets no confirmed id; a crash of the machine can forget ids
 * whose pages had not reached the disk, with the same outcome.
 */
public class LocalEventIds extends EventIds {

    private static final Logger log = LoggerFactory.getLogger(LocalEventIds.class);
    private static final int BUCKETS_PER_RETENTION = 2;
    private static final long MIN_BUCKET_MILLIS = Duration.ofMinutes(1).toMillis();
    /** 2 MiB of slots: ~46,000 ids. */
    static final long MIN_SLOTS = 1L << 16;
    /** 512 MiB of slots: ~11.7 million ids; a bucket that outgrows it gets more tables of this size. */
    static final long MAX_SLOTS = 1L << 24;
    private static final String TABLE_SUFFIX = ".ids";
    private static final Pattern TABLE_NAME = Pattern.compile("(\\d+)-(\\d+)-(\\d+)\\.ids");
    /** Map-name prefixes of the B-tree file this store replaced, read once by {@link #importLegacyFile}. */
    static final String LEGACY_BUCKET_PREFIX = "ids128-";
    static final String LEGACY_TEXT_BUCKET_PREFIX = "ids-";

    private final Path dir;
    private final long retentionMillis;
    private final long bucketMillis;
    private final long minSlots;
    private final Clock clock;
    /** buckets by start time; guarded by this */
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    /** digests reserved by a commit under way, not yet written; guarded by this */
    private final Set<UUID> reserved = new HashSet<>();

    /** The tables of one time bucket, oldest first; only the last is written to. */
    private record Bucket(long start, long end, List<IdTable> tables) {
        long ids() {
            long n = 0;
            for (IdTable table : tables) n += table.used();
            return n;
        }
    }

    public LocalEventIds(Path dir, Duration retention) {
        this(dir, retention, Clock.systemUTC(), MIN_SLOTS);
    }

    LocalEventIds(Path dir, Duration retention, Clock clock) {
        this(dir, retention, clock, MIN_SLOTS);
    }

    /**
     * @throws IllegalStateException naming the file when a table in {@code dir} cannot be read
     */
    LocalEventIds(Path dir, Duration retention, Clock clock, long minSlots) {
        this.dir = dir;
        this.retentionMillis = retention.toMillis();
        this.bucketMillis = Math.max(MIN_BUCKET_MILLIS, retentionMillis / BUCKETS_PER_RETENTION);
        this.minSlots = minSlots;
        this.clock = clock;
        List<Path> files;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> listing = Files.list(dir)) {
                files = listing.sorted().toList();
            }
            for (Path file : files) {
                if (file.getFileName().toString().endsWith(TABLE_SUFFIX + IdTable.UNFINISHED_SUFFIX)) Files.delete(file); // a creation cut short
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the id store directory " + dir + ": " + e.getMessage(), e);
        }
        TreeMap<Long, TreeMap<Integer, IdTable>> found = new TreeMap<>();
        try {
            for (Path file : files) {
                Matcher name = TABLE_NAME.matcher(file.getFileName().toString());
                if (!name.matches()) continue;
                IdTable table = IdTable.open(file);
                found.computeIfAbsent(table.bucketStart(), k -> new TreeMap<>()).put(Integer.parseInt(name.group(3)), table);
            }
        } catch (RuntimeException e) {
            found.values().forEach(tables -> tables.values().forEach(IdTable::close));
            throw e;
        }
        for (Map.Entry<Long, TreeMap<Integer, IdTable>> bucket : found.entrySet()) {
            List<IdTable> tables = new ArrayList<>(bucket.getValue().values());
            buckets.put(bucket.getKey(), new Bucket(bucket.getKey(), tables.get(0).bucketEnd(), tables));
        }
    }

    @Override
    public synchronized Reservation reserve(List<String> keys) {
        long now = clock.millis();
        long cutoff = now - retentionMillis;
        Map<String, UUID> fresh = new LinkedHashMap<>();
        for (String key : keys) {
            if (fresh.containsKey(key)) continue;
            UUID digest = digest(key);
            if (!reserved.contains(digest) && !seen(digest, cutoff)) fresh.put(key, digest);
        }
        reserved.addAll(fresh.values());
        return new Reservation() {
            @Override
            public Set<String> fresh() {
                return fresh.keySet();
            }

            @Override
            public void confirm() {
                synchronized (LocalEventIds.this) {
                    try {
                        for (UUID digest : fresh.values()) insert(bucketFor(now), digest, now);
                    } finally {
                        reserved.removeAll(fresh.values());
                    }
                }
            }

            @Override
            public void release() {
                synchronized (LocalEventIds.this) {
                    reserved.removeAll(fresh.values());
                }
            }
        };
    }

    /** @return true if the digest was not seen within the retention and is now recorded as accepted at {@code at} */
    private boolean remember(UUID digest, long at, long cutoff) {
        if (seen(digest, cutoff)) return false;
        insert(bucketFor(at), digest, at);
        return true;
    }

    private boolean seen(UUID digest, long cutoff) {
        long hi = digest.getMostSignificantBits();
        long lo = digest.getLeastSignificantBits();
        for (Bucket bucket : buckets.descendingMap().values()) {
            if (bucket.end() <= cutoff) continue;
            for (IdTable table : bucket.tables()) {
                if (table.acceptedAt(hi, lo) >= cutoff) return true;
            }
        }
        return false;
    }

    private void insert(Bucket bucket, UUID digest, long at) {
        List<IdTable> tables = bucket.tables();
        IdTable last = tables.isEmpty() ? null : tables.get(tables.size() - 1);
        if (last == null || last.isFull()) {
            long slots = last != null ? Math.min(MAX_SLOTS, last.slots() * 2) : firstTableSlots(bucket);
            last = createTable(bucket, tables.size(), slots);
            tables.add(last);
        }
        last.insert(digest.getMostSignificantBits(), digest.getLeastSignificantBits(), at);
    }

    /** Room for as many ids as the newest other bucket holds, so a steady rate fills one table per bucket. */
    private long firstTableSlots(Bucket bucket) {
        long expected = 0;
        for (Bucket other : buckets.descendingMap().values()) {
            if (other != bucket) {
                expected = other.ids();
                break;
            }
        }
        long wanted = expected * 100 / IdTable.MAX_LOAD_PERCENT + 1;
        return Math.min(MAX_SLOTS, Math.max(minSlots, Long.highestOneBit(wanted - 1) << 1));
    }

    private IdTable createTable(Bucket bucket, int number, long slots) {
        return IdTable.create(dir.resolve(String.format("%d-%d-%03d%s", bucket.start(), bucket.end(), number, TABLE_SUFFIX)),
                slots, bucket.start(), bucket.end());
    }

    @Override
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public synchronized void prune() {
        long cutoff = clock.millis() - retentionMillis;
        long forgotten = 0;
        for (Bucket bucket : List.copyOf(buckets.values())) {
            if (bucket.end() > cutoff) continue;
            forgotten += bucket.ids();
            buckets.remove(bucket.start());
            for (IdTable table : bucket.tables()) table.delete();
        }
        if (forgotten > 0) log.info("forgot {} event id(s) accepted before {}", forgotten, Instant.ofEpochMilli(cutoff));
    }

    /** The bucket whose span holds {@code time}, made when there is none. */
    private Bucket bucketFor(long time) {
        var last = buckets.floorEntry(time);
        if (last != null && time < last.getValue().end()) return last.getValue();
        long start = time - Math.floorMod(time, bucketMillis);
        if (last != null) start = Math.max(start, last.getValue().end());
        long end = start + bucketMillis;
        var next = buckets.ceilingEntry(time);
        if (next != null) end = Math.min(end, next.getKey()); // a bucket of another width (retention changed)
        Bucket bucket = new Bucket(start, end, new ArrayList<>());
        buckets.put(start, bucket);
        return bucket;
    }

    private static UUID digest(String key) {
        return nonZero(KeyValueFiles.digest(key));
    }

    /** A zero digest would read as an empty slot; it stands for one other value (a 2^-128 chance either way). */
    private static UUID nonZero(UUID digest) {
        return digest.getMostSignificantBits() == 0 && digest.getLeastSignificantBits() == 0 ? new UUID(0, 1) : digest;
    }

    /**
     * Takes over the ids still within the retention from the B-tree file of an earlier version (keyed by digest, or
     * by text before that), then deletes it, so an upgrade keeps de-duplicating what was accepted before it.
     *
     * @return how many ids were taken over
     */
    public synchronized long importLegacyFile(Path file) {
        long cutoff = clock.millis() - retentionMillis;
        long imported = 0;
        MVStore store = KeyValueFiles.open(file, KeyValueFiles.NO_CACHE);
        try {
            for (String name : store.getMapNames()) {
                if (name.startsWith(LEGACY_BUCKET_PREFIX)) {
                    MVMap<UUID, Long> ids = store.openMap(name, new MVMap.Builder<UUID, Long>()
                            .keyType(KeyValueFiles.DigestType.INSTANCE).valueType(LongDataType.INSTANCE));
                    for (Map.Entry<UUID, Long> id : ids.entrySet()) imported += importId(id.getKey(), id.getValue(), cutoff);
                } else if (name.startsWith(LEGACY_TEXT_BUCKET_PREFIX)) {
                    MVMap<String, Long> ids = store.openMap(name);
                    for (Map.Entry<String, Long> id : ids.entrySet()) imported += importId(digest(id.getKey()), id.getValue(), cutoff);
                }
            }
        } finally {
            store.close();
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + " after taking its ids over: " + e.getMessage(), e);
        }
        log.info("took over {} event id(s) within the retention from {}", imported, file);
        return imported;
    }

    private int importId(UUID digest, long at, long cutoff) {
        return at >= cutoff && remember(nonZero(digest), at, cutoff) ? 1 : 0;
    }

    @Override
    public synchronized void close() {
        for (Bucket bucket : buckets.values()) bucket.tables().forEach(IdTable::close);
        buckets.clear();
    }
}
