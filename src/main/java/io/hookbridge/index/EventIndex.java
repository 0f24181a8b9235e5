package io.hookbridge.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

import io.hookbridge.broker.StoredEvents;
import io.hookbridge.delivery.DeliveryListener;
import io.hookbridge.delivery.EventFilter;
import io.hookbridge.delivery.OutcomeLog;
import io.hookbridge.event.CanonicalEvent;

/**
 * Every accepted event and where it stands with each subscription, for the operator's event log. Fed in process
 * and off the hot paths: the publisher hands over each event once the broker has committed it ({@link StoredEvents}),
 * deliveries their outcomes ({@link OutcomeLog}); both only queue, and one background thread writes the queues in
 * batches every {@value #WRITE_INTERVAL_MILLIS} ms. A read writes what is queued first.
 * <p>
 * The index is an operator's record, not a copy the events depend on: a {@code kill -9} can lose what was queued
 * in its last moment (the events themselves are on the broker), and a full queue drops entries rather than slow
 * ingest or delivery (both counted in {@code hookbridge.index.dropped}).
 * <p>
 * Every read is bounded: a list query looks at {@value #MAX_SCAN} positions at most, newest first, and answers a
 * cursor to go on from.
 */
public abstract class EventIndex implements StoredEvents, OutcomeLog, InitializingBean, DisposableBean {

    static final long MAX_SCAN = 200_000;
    static final int MAX_ID = 500;
    private static final int BATCH = 1000;
    private static final long WRITE_INTERVAL_MILLIS = 100;

    private static final Logger log = LoggerFactory.getLogger(EventIndex.class);

    /** An event the broker has committed, as the index is given it. */
    public record Accepted(String id, String source, String type, String subject, long receivedAt, byte[] json) { }

    /** An event's new status with one subscription; {@code receivedAt} (with the id) finds the event. */
    public record StatusChange(String eventId, long receivedAt, String subscription, EventStatus status, int attempts, long at) { }

    /** Which event: its id and when the broker took it ({@link io.hookbridge.broker.EventMessages#RECEIVED}). */
    public record EventRef(String id, long receivedAt) { }

    /** A subscription's status for one event; {@code attempts} is 0 while pending. */
    public record SubscriptionStatus(String subscription, EventStatus status, int attempts, Instant updatedAt) { }

    /** One page of a list query. */
    public record Page(List<IndexedEvent> events, Map<String, List<SubscriptionStatus>> statuses, Long nextCursor, long scanned) { }

    protected final EventIndexProperties settings;
    protected final Supplier<List<SubscriptionScope>> subscriptions;
    private final BlockingQueue<Accepted> pendingEvents;
    private final BlockingQueue<StatusChange> pendingStatuses;
    private final Counter dropped;
    /** The bodies of the events queued: bounded by bytes, as the heap is (the default heap is 256 MB). */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastDropWarning = new java.util.concurrent.atomic.AtomicLong();
    private final Object writeLock = new Object();
    private Thread writer;
    private volatile boolean closed;
    private long nextPrune;

    protected EventIndex(EventIndexProperties settings, Supplier<List<SubscriptionScope>> subscriptions, MeterRegistry meters) {
        this.settings = settings;
        this.subscriptions = subscriptions;
        int capacity = Math.max(1, settings.getQueueCapacity());
        this.pendingEvents = new ArrayBlockingQueue<>(capacity);
        this.pendingStatuses = new ArrayBlockingQueue<>(capacity);
        this.dropped = Counter.builder("hookbridge.index.dropped")
                .description("Events and statuses not written to the event index (its queue was full or its store failed)")
                .register(meters);
    }

    // ---- the store ----

    protected abstract void open();

    protected abstract void close();

    /** Adds events, in the order received; an id indexed already is left as it is. */
    protected abstract void storeEvents(List<Accepted> batch);

    /** Records status changes, in the order they happened: the last one per event and subscription wins. */
    protected abstract void storeStatuses(List<StatusChange> batch);

    /** The stored statuses of each event, by event id, in any order. */
    protected abstract Map<String, List<SubscriptionStatus>> storedStatuses(List<IndexedEvent> events);

    protected abstract IndexedEvent stored(String id);

    /** Newest first; at most {@code limit} events and {@link #MAX_SCAN} positions looked at. */
    protected abstract Page query(EventQuery query, int limit);

    /** Removes events received before the cutoff (epoch millis), and the oldest beyond {@code max}; answers how many. */
    protected abstract long removeOld(long cutoffMillis, long max);

    protected abstract long count();

    // ---- writes ----

    public boolean enabled() {
        return settings.isEnabled();
    }

    @Override
    public void afterPropertiesSet() {
        if (!enabled()) return;
        open();
        writer = new Thread(this::writeLoop, "hookbridge-event-index");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stored(CanonicalEvent event, byte[] json, long receivedAt) {
        if (!enabled()) return;
        if (queuedBytes.addAndGet(json.length) > settings.getQueueBytes()
                || !pendingEvents.offer(new Accepted(event.id(), event.sourceId(), event.type(), event.subject(), receivedAt, json))) {
            queuedBytes.addAndGet(-json.length);
            dropped("event " + event.id() + " not indexed");
            return;
        }
        if (closed) flush();
    }

    @Override
    public void outcome(String subscription, String eventId, long receivedAt, DeliveryListener.Outcome outcome, int attempts) {
        EventStatus status = switch (outcome) {
            case DELIVERED -> EventStatus.DELIVERED;
            case RETRYING -> EventStatus.RETRYING;
            case DEAD_LETTERED -> EventStatus.DEAD_LETTERED;
            case SKIPPED -> EventStatus.SKIPPED;
        };
        queue(new StatusChange(eventId, receivedAt, subscription, status, attempts, System.currentTimeMillis()));
    }

    /** Events put back on a subscription's queue are pending for it again. */
    public void replayed(String subscription, List<EventRef> events) {
        long now = System.currentTimeMillis();
        for (EventRef e : events) queue(new StatusChange(e.id(), e.receivedAt(), subscription, EventStatus.PENDING, 0, now));
    }

    private void queue(StatusChange change) {
        if (!enabled() || change.eventId() == null) return;
        if (!pendingStatuses.offer(change)) {
            dropped("status " + change.status().wire() + " of event " + change.eventId() + " for " + change.subscription() + " not recorded");
            return;
        }
        if (closed) flush();
    }

    /** Counted always; logged at most every 10 s, not once per entry at thousands a second. */
    private void dropped(String what) {
        dropped.increment();
        long now = System.currentTimeMillis();
        long last = lastDropWarning.get();
        if (now - last >= 10_000 && lastDropWarning.compareAndSet(last, now)) {
            log.warn("event index queue full (hookbridge.index.queue-capacity={}, queue-bytes={}): {}; {} entries dropped so far "
                    + "(hookbridge_index_dropped_total)", settings.getQueueCapacity(), settings.getQueueBytes(), what, (long) dropped.count());
        }
    }

    /** Writes everything queued now: events first, so a status never waits for its event. */
    public void flush() {
        if (!enabled()) return;
        synchronized (writeLock) {
            drain(pendingEvents, batch -> {
                long bytes = 0;
                for (Accepted e : batch) bytes += e.json().length;
                queuedBytes.addAndGet(-bytes);
                storeEvents(batch);
            });
            drain(pendingStatuses, this::storeStatuses);
        }
    }

    private <T> void drain(BlockingQueue<T> queue, java.util.function.Consumer<List<T>> store) {
        List<T> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                store.accept(batch);
            } catch (RuntimeException e) {
                dropped.increment(batch.size());
                log.warn("event index: {} entries could not be written: {}", batch.size(), e.toString());
            }
            batch.clear();
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(WRITE_INTERVAL_MILLIS);
                flush();
                if (System.currentTimeMillis() >= nextPrune) prune();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("event index: {}", e.toString());
            }
        }
    }

    /** Removes events received before the retention, and the oldest beyond the maximum count, with their statuses. */
    public void prune() {
        if (!enabled()) return;
        long removed;
        synchronized (writeLock) {
            removed = removeOld(System.currentTimeMillis() - settings.getRetention().toMillis(), settings.getMaxEntries());
        }
        if (removed > 0) log.info("event index: pruned {} event(s) (retention {}, at most {})", removed,
                settings.getRetention(), settings.getMaxEntries());
        nextPrune = System.currentTimeMillis() + settings.getPruneInterval().toMillis();
    }

    // ---- reads ----

    public IndexedEvent find(String id) {
        if (!enabled() || id == null || id.length() > MAX_ID) return null;
        flush();
        return stored(id);
    }

    public long size() {
        if (!enabled()) return 0;
        flush();
        return count();
    }

    public Page search(EventQuery query, int limit) {
        if (!enabled()) return new Page(List.of(), Map.of(), null, 0);
        flush();
        Page page = query(query, limit);
        return new Page(page.events(), statusesOf(page.events()), page.nextCursor(), page.scanned());
    }

    /** The event's status with every subscription that has one or takes it (pending), in subscription order. */
    public List<SubscriptionStatus> statuses(IndexedEvent event) {
        if (!enabled()) return List.of();
        flush();
        return statusesOf(List.of(event)).getOrDefault(event.id(), List.of());
    }

    /** Events matching the query, newest first, at most {@code max} (for a replay): every position may be looked at. */
    public List<IndexedEvent> select(EventQuery query, int max) {
        List<IndexedEvent> all = new ArrayList<>();
        EventQuery page = query;
        while (all.size() < max) {
            Page found = search(page, Math.min(500, max - all.size()));
            all.addAll(found.events());
            if (found.nextCursor() == null) break;
            page = page.withBefore(found.nextCursor());
        }
        return all;
    }

    private Map<String, List<SubscriptionStatus>> statusesOf(List<IndexedEvent> events) {
        Map<String, List<SubscriptionStatus>> all = new java.util.LinkedHashMap<>();
        if (events.isEmpty()) return all;
        Map<String, List<SubscriptionStatus>> stored = storedStatuses(events);
        List<SubscriptionScope> scopes = subscriptions.get();
        for (IndexedEvent e : events) {
            all.put(e.id(), withPending(e, stored.getOrDefault(e.id(), List.of()), scopes));
        }
        return all;
    }

    /** The stored statuses, and pending for each subscription that takes the event and has none, by subscription name. */
    static List<SubscriptionStatus> withPending(IndexedEvent e, List<SubscriptionStatus> stored, List<SubscriptionScope> scopes) {
        Map<String, SubscriptionStatus> byName = new java.util.TreeMap<>();
        for (SubscriptionStatus s : stored) byName.put(s.subscription(), s);
        for (SubscriptionScope scope : scopes) {
            if (!byName.containsKey(scope.name()) && takes(scope, e.type(), e.source())) {
                byName.put(scope.name(), new SubscriptionStatus(scope.name(), EventStatus.PENDING, 0, null));
            }
        }
        return List.copyOf(byName.values());
    }

    static boolean takes(SubscriptionScope scope, String type, String source) {
        return new EventFilter(scope.types(), scope.sources()).matches(type, source);
    }

    protected SubscriptionScope scope(String name) {
        for (SubscriptionScope s : subscriptions.get()) if (s.name().equals(name)) return s;
        return null;
    }

    static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    @Override
    public void destroy() throws InterruptedException {
        if (!enabled()) return;
        closed = true;
        // not interrupted: an interrupt during file I/O would close the store's file channel
        if (writer != null) writer.join(10_000);
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("event index: the last entries could not be written on shutdown: {}", e.toString());
        } finally {
            close();
        }
    }
}
