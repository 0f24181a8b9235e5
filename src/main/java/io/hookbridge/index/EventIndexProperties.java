package io.hookbridge.index;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hookbridge.index.*}: the event index behind {@code GET /admin/events}, bounded like the attempt log. */
@ConfigurationProperties("hookbridge.index")
public class EventIndexProperties {

    /** Off: nothing is indexed or kept, {@code GET /admin/events} answers that the index is off. */
    private boolean enabled = true;

    /** Events received longer ago than this are pruned (with their statuses). */
    private Duration retention = Duration.ofDays(7);
    /** At most this many events are kept; the oldest beyond it are pruned. */
    private long maxEntries = 1_000_000;
    /** How often events older than the retention are looked for. */
    private Duration pruneInterval = Duration.ofMinutes(1);
    /** Events, and status changes, waiting to be written; beyond this, new ones are dropped (and counted) rather than slowing ingest or deliveries. */
    private int queueCapacity = 100_000;
    /** Bytes of canonical events waiting to be written; beyond this, new ones are dropped (and counted). */
    private long queueBytes = 32L * 1024 * 1024;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
    public long getMaxEntries() { return maxEntries; }
    public void setMaxEntries(long maxEntries) { this.maxEntries = maxEntries; }
    public Duration getPruneInterval() { return pruneInterval; }
    public void setPruneInterval(Duration pruneInterval) { this.pruneInterval = pruneInterval; }
    public long getQueueBytes() { return queueBytes; }
    public void setQueueBytes(long queueBytes) { this.queueBytes = queueBytes; }
    public int getQueueCapacity() { return queueCapacity; }
    public void setQueueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; }
}
