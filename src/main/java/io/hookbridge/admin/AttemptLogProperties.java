package io.hookbridge.admin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hookbridge.attempts.*}: how long, and how many, delivery attempts the attempt log keeps. */
@ConfigurationProperties("hookbridge.attempts")
public class AttemptLogProperties {

    /** Attempts older than this are pruned. */
    private Duration retention = Duration.ofDays(7);
    /** At most this many attempts are kept; the oldest beyond it are pruned. */
    private long maxEntries = 1_000_000;
    /** How often attempts older than the retention are looked for. */
    private Duration pruneInterval = Duration.ofMinutes(1);
    /** Attempts waiting to be written; beyond this, new ones are dropped (and counted) rather than slowing deliveries. */
    private int queueCapacity = 100_000;

    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
    public long getMaxEntries() { return maxEntries; }
    public void setMaxEntries(long maxEntries) { this.maxEntries = maxEntries; }
    public Duration getPruneInterval() { return pruneInterval; }
    public void setPruneInterval(Duration pruneInterval) { this.pruneInterval = pruneInterval; }
    public int getQueueCapacity() { return queueCapacity; }
    public void setQueueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; }
}
