package io.hookbridge.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The accepted event ids of a single instance, in a key-value file under the data dir (H2's MVStore, without
 * SQL). It replaced the SQL table for the single-instance case because that table cost a quarter of the
 * gateway's CPU at full ingest (a SELECT and a two-index INSERT per event); a key lookup and put here cost a
 * few microseconds.
 * <p>
 * Ids are kept in time buckets, one map each (half the retention wide: 3.5 days with the default 7 days), so
 * forgetting old ids drops whole maps instead of scanning; each id carries its acceptance time, and an id older
 * than the retention counts as unseen. A new id is looked up in every bucket still within the retention, so
 * the number of buckets is a cost on every webhook: with day-wide buckets a store holding a whole 7-day retention
 * spent ~40 us of CPU per new id (eight lookups), against ~13 us with half-retention buckets (three) and ~5 us
 * for ids all in one bucket, which is all bench/run's minutes-long runs ever see ({@code bench/id-store-aging},
 * 100,000 ids a day). The price is disk: an expired bucket is dropped whole, so ids stay in the file for up to
 * 1.5 times the retention (was 8/7 of it). Writes reach the file within {@value KeyValueFiles#WRITE_DELAY_MS} ms;
 * a crash can forget the ids accepted in that last moment, so a vendor's retry of one of them would be stored
 * again (at-least-once, never lost).
 * <p>
 * A bucket keys its ids by their {@link KeyValueFiles#digest}, not their text. Buckets written before that
 * ({@value #TEXT_BUCKET_PREFIX}…, keyed by text) are still read until their ids expire.
 * <p>
 * The file has no page cache: a new id's digest lands on a random leaf, so a cache small enough for the heap
 * misses nearly every time, and what it holds for a few hundred milliseconds (leaves, their keys, the cache's
 * own entries) outlived young collections and became the largest share of the old generation's garbage: a full
 * collection (~120 ms) every ~20 s at 5,000 webhooks/s. Without it, the pages a lookup reads come from the
 * operating system's file cache and die young; measured in paired ingest runs: no full collection, ~7% less
 * CPU per webhook, and 35-45 MB less resident memory.
 */
public class LocalEventIds extends EventIds {

    private static final Logger log = LoggerFactory.getLogger(LocalEventIds.class);
    private static final String BUCKET_PREFIX = "ids128-";
    static final String TEXT_BUCKET_PREFIX = "ids-";
    private static final int BUCKETS_PER_RETENTION = 2;
    private static final long MIN_BUCKET_MILLIS = Duration.ofMinutes(1).toMillis();

    private final MVStore store;
    private final long retentionMillis;
    private final long bucketMillis;
    private final Clock clock;
    /** the open buckets by start time; guarded by this */
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    /** buckets keyed by the ids' text, from before the digests; read and pruned, never written; guarded by this */
    private final List<TextBucket> textBuckets = new ArrayList<>();

    private record Bucket(long start, long end, MVMap<UUID, Long> ids) { }

    private record TextBucket(long end, MVMap<String, Long> ids) { }

    public LocalEventIds(Path file, Duration retention) {
        this(file, retention, Clock.systemUTC());
    }

    LocalEventIds(Path file, Duration retention, Clock clock) {
        this.store = KeyValueFiles.open(file, KeyValueFiles.NO_CACHE);
        this.retentionMillis = retention.toMillis();
        this.bucketMillis = Math.max(MIN_BUCKET_MILLIS, retentionMillis / BUCKETS_PER_RETENTION);
        this.clock = clock;
        for (String name : store.getMapNames()) {
            if (name.startsWith(BUCKET_PREFIX)) {
                long[] span = span(name, BUCKET_PREFIX);
                buckets.put(span[0], new Bucket(span[0], span[1], openBucket(name)));
            } else if (name.startsWith(TEXT_BUCKET_PREFIX)) {
                textBuckets.add(new TextBucket(span(name, TEXT_BUCKET_PREFIX)[1], store.openMap(name)));
            }
        }
    }

    private static long[] span(String mapName, String prefix) {
        String[] span = mapName.substring(prefix.length()).split("-");
        return new long[] {Long.parseLong(span[0]), Long.parseLong(span[1])};
    }

    private MVMap<UUID, Long> openBucket(String name) {
        return store.openMap(name, new MVMap.Builder<UUID, Long>().keyType(KeyValueFiles.DigestType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
    }

    @Override
    public synchronized Set<String> admit(List<String> keys) {
        long now = clock.millis();
        long cutoff = now - retentionMillis;
        Bucket current = current(now);
        Collection<Bucket> live = buckets.values();
        Set<String> admitted = new LinkedHashSet<>();
        for (String key : keys) {
            if (admitted.contains(key)) continue;
            UUID digest = KeyValueFiles.digest(key);
            if (seen(digest, live, current, cutoff) || seenAsText(key, cutoff)) continue;
            Long before = current.ids().putIfAbsent(digest, now);
            if (before == null || (before < cutoff && current.ids().replace(digest, before, now))) admitted.add(key);
        }
        return admitted;
    }

    private static boolean seen(UUID digest, Collection<Bucket> live, Bucket current, long cutoff) {
        for (Bucket bucket : live) {
            if (bucket == current || bucket.end() <= cutoff) continue;
            Long at = bucket.ids().get(digest);
            if (at != null && at >= cutoff) return true;
        }
        return false;
    }

    private boolean seenAsText(String key, long cutoff) {
        for (TextBucket bucket : textBuckets) {
            if (bucket.end() <= cutoff) continue;
            Long at = bucket.ids().get(key);
            if (at != null && at >= cutoff) return true;
        }
        return false;
    }

    @Override
    public synchronized void revoke(Collection<String> keys) {
        for (String key : keys) {
            UUID digest = KeyValueFiles.digest(key);
            for (Bucket bucket : buckets.values()) bucket.ids().remove(digest);
            for (TextBucket bucket : textBuckets) bucket.ids().remove(key);
        }
    }

    @Override
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public synchronized void prune() {
        long cutoff = clock.millis() - retentionMillis;
        List<Bucket> expired = new ArrayList<>();
        for (Bucket bucket : buckets.values()) if (bucket.end() <= cutoff) expired.add(bucket);
        long forgotten = 0;
        for (Bucket bucket : expired) {
            forgotten += bucket.ids().sizeAsLong();
            buckets.remove(bucket.start());
            store.removeMap(bucket.ids());
        }
        for (TextBucket bucket : List.copyOf(textBuckets)) {
            if (bucket.end() > cutoff) continue;
            forgotten += bucket.ids().sizeAsLong();
            textBuckets.remove(bucket);
            store.removeMap(bucket.ids());
        }
        if (forgotten > 0) log.info("forgot {} event id(s) accepted before {}", forgotten, Instant.ofEpochMilli(cutoff));
    }

    private Bucket current(long now) {
        var last = buckets.floorEntry(now);
        if (last != null && now < last.getValue().end()) return last.getValue();
        long start = now - Math.floorMod(now, bucketMillis);
        if (last != null) start = Math.max(start, last.getValue().end());
        long end = start + bucketMillis;
        var next = buckets.ceilingEntry(now);
        if (next != null) end = Math.min(end, next.getKey()); // a bucket of another width (retention changed)
        Bucket bucket = new Bucket(start, end, openBucket(BUCKET_PREFIX + start + "-" + end));
        buckets.put(start, bucket);
        return bucket;
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) store.close();
    }
}
