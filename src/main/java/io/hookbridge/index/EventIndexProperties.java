package io.hookbridge.index;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hookbridge.index.*}: the event index behind {@code GET /admin/events}, bounded like the attempt log. */
@ConfigurationProperties("hookbridge.index")
public class EventIndexProperties {

    /**
     * Off: no event is indexed (the list stays empty, replay from the log finds nothing) and the index's queue is
     * removed from the embedded broker, saving the index's CPU per accepted event.
     */
    private boolean enabled = false;

    /** Events received longer ago than this are pruned (with their statuses). */
    private Duration retention = Duration.ofDays(7);
    /** At most this many events are kept; the oldest beyond it are pruned. */
    private long maxEntries = 1_000_000;
    /** How often events older than the retention are looked for. */
    private Duration pruneInterval = Duration.ofMinutes(1);
    /** Most events written to the index in one batch (one broker acknowledgement). */
    private int batch = 500;
    /** Status changes waiting to be written; beyond this, new ones are dropped (and counted) rather than slowing deliveries. */
    private int queueCapacity = 100_000;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
    public long getMaxEntries() { return maxEntries; }
    public void setMaxEntries(long maxEntries) { this.maxEntries = maxEntries; }
    public Duration getPruneInterval() { return pruneInterval; }
    public void setPruneInterval(Duration pruneInterval) { this.pruneInterval = pruneInterval; }
    public int getBatch() { return batch; }
    public void setBatch(int batch) { this.batch = batch; }
    public int getQueueCapacity() { return queueCapacity; }
    public void setQueueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; }
}
