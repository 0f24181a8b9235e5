package io.hookbridge.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

import io.hookbridge.delivery.AttemptLog;
import io.hookbridge.delivery.DeliveryAttempt;

/**
 * The attempt log's bookkeeping, whatever stores it: deliveries never wait for it — {@link #record} only queues
 * the attempt, and a background thread writes the queue in batches (and once more on shutdown). A read first
 * writes whatever is queued, so an attempt is visible as soon as it has happened. Bounded: attempts older than
 * {@code hookbridge.attempts.retention} and the oldest beyond {@code hookbridge.attempts.max-entries} are pruned.
 */
public abstract class QueuedAttemptLog implements AttemptLog, InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(QueuedAttemptLog.class);
    private static final int BATCH = 1000;
    private static final long WRITE_INTERVAL_MILLIS = 100;

    protected final AttemptLogProperties settings;
    private final BlockingQueue<DeliveryAttempt> pending;
    private final Counter dropped;
    private final Object writeLock = new Object();
    private Thread writer;
    private volatile boolean closed;
    /** Attempts stored as far as this instance knows; recounted after each prune. Guarded by writeLock. */
    private long rows;
    private long nextAgePrune;

    protected QueuedAttemptLog(AttemptLogProperties settings, MeterRegistry meters) {
        this.settings = settings;
        this.pending = new ArrayBlockingQueue<>(Math.max(1, settings.getQueueCapacity()));
        this.dropped = Counter.builder("hookbridge.attempts.dropped")
                .description("Delivery attempts not written to the attempt log (its queue was full or the database failed)")
                .register(meters);
    }

    /** Stores a batch of attempts, in order. */
    protected abstract void store(List<DeliveryAttempt> batch);

    /** The stored attempts of one event, oldest first. */
    protected abstract List<DeliveryAttempt> stored(String eventId);

    /** Removes the attempts made before the cutoff (epoch millis); answers how many. */
    protected abstract long removeOlderThan(long cutoffMillis);

    /** Removes the oldest attempts until at most max are left; answers how many. */
    protected abstract long removeOldestBeyond(long max);

    protected abstract long count();

    /** Opens the store; called once before the first write. */
    protected void open() { }

    /** Closes the store after the last write. */
    protected void close() { }

    @Override
    public void afterPropertiesSet() {
        open();
        synchronized (writeLock) {
            rows = count();
            prune();
        }
        writer = new Thread(this::writeLoop, "hookbridge-attempt-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(DeliveryAttempt attempt) {
        if (!pending.offer(attempt)) {
            dropped.increment();
            log.warn("attempt log queue full ({}): attempt {} of event {} to {} not recorded",
                    settings.getQueueCapacity(), attempt.attempt(), attempt.eventId(), attempt.subscription());
            return;
        }
        if (closed) flush();
    }

    @Override
    public List<DeliveryAttempt> attemptsOf(String eventId) {
        flush();
        return stored(clip(eventId, 500));
    }

    /** Attempts stored now (after writing what is queued). */
    public long size() {
        flush();
        return count();
    }

    /** Writes every queued attempt now. */
    public void flush() {
        synchronized (writeLock) {
            List<DeliveryAttempt> batch = new ArrayList<>(BATCH);
            while (pending.drainTo(batch, BATCH) > 0) {
                write(batch);
                batch.clear();
            }
            pruneIfOverCount();
        }
    }

    /** Removes attempts older than the retention, and the oldest beyond the maximum count. */
    public void prune() {
        synchronized (writeLock) {
            long old = removeOlderThan(System.currentTimeMillis() - settings.getRetention().toMillis());
            if (old > 0) {
                log.info("attempt log: pruned {} attempt(s) older than {}", old, settings.getRetention());
                rows = count();
            }
            nextAgePrune = System.currentTimeMillis() + settings.getPruneInterval().toMillis();
            pruneToCount(settings.getMaxEntries());
        }
    }

    private void writeLoop() {
        while (!closed) {
            try {
                TimeUnit.MILLISECONDS.sleep(WRITE_INTERVAL_MILLIS);
                flush();
                if (System.currentTimeMillis() >= nextAgePrune) prune();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("attempt log: {}", e.toString());
            }
        }
    }

    private void write(List<DeliveryAttempt> batch) {
        try {
            store(batch);
            rows += batch.size();
        } catch (RuntimeException e) {
            dropped.increment(batch.size());
            log.warn("attempt log: {} attempt(s) could not be written: {}", batch.size(), e.toString());
        }
    }

    /**
     * Prunes to the maximum once it is exceeded by more than a little (1%, at most 10,000), so a full log is not
     * pruned on every write.
     */
    private void pruneIfOverCount() {
        long max = settings.getMaxEntries();
        long slack = Math.min(10_000, max / 100);
        if (rows > max + slack) pruneToCount(max);
    }

    private void pruneToCount(long max) {
        if (rows <= max) return;
        long pruned = removeOldestBeyond(Math.max(0, max));
        if (pruned > 0) log.info("attempt log: pruned the {} oldest attempt(s) beyond {}", pruned, max);
        rows = count();
    }

    protected static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** After Camel has stopped its routes (no more attempts), before the store closes. */
    @Override
    public void destroy() throws InterruptedException {
        closed = true;
        // not interrupted: an interrupt during file I/O would close the store's file channel
        if (writer != null) writer.join(10_000);
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("attempt log: the last attempts could not be written on shutdown: {}", e.toString());
        } finally {
            close();
        }
    }
}
