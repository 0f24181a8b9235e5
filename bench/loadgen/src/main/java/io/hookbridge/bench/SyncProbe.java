package io.hookbridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The data disk's own sync latency while the gateway is under load: every few ms, append 1 KiB to a file next
 * to the data dirs and fdatasync it, as a journal commit does. A durable gateway answers only after its commit
 * is synced, so when one sync takes 70 ms every webhook in flight waits that long: the probe tells a stall of the
 * disk from a stall of the gateway.
 */
final class SyncProbe implements AutoCloseable {

    /** Syncs at least this slow count as stalls. */
    static final long STALL_MS = 30;

    private final Path file;
    private final long intervalNanos;
    private final Histogram latencyMicros = new Histogram(1, 60_000_000L, 3);
    /** How late the probe woke for its next sync: the machine itself pausing (CPU steal, a stopped VM) shows here. */
    private final Histogram lateMicros = new Histogram(1, 60_000_000L, 3);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile IOException failure;

    private SyncProbe(Path dir, long intervalMillis) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve("sync-probe.dat");
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.thread = new Thread(this::run, "sync-probe");
        this.thread.setDaemon(true);
    }

    /** A running probe, or null when no directory was given. */
    static SyncProbe start(String dir, long intervalMillis) throws IOException {
        if (dir == null || dir.isBlank()) return null;
        SyncProbe probe = new SyncProbe(Path.of(dir), intervalMillis);
        probe.thread.start();
        return probe;
    }

    private void run() {
        ByteBuffer block = ByteBuffer.allocateDirect(1024);
        for (int k = 0; k < 1024; k++) block.put((byte) ('a' + k % 26));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long next = System.nanoTime();
            while (running) {
                block.rewind();
                long t0 = System.nanoTime();
                while (block.hasRemaining()) ch.write(block);
                ch.force(false);
                long micros = (System.nanoTime() - t0) / 1000;
                long late = Math.max(0, t0 - next) / 1000;
                synchronized (latencyMicros) {
                    latencyMicros.recordValue(Math.max(1, Math.min(micros, 60_000_000L)));
                    lateMicros.recordValue(Math.max(1, Math.min(late, 60_000_000L)));
                }
                if (ch.position() >= 16 << 20) ch.position(0);
                next = Math.max(next + intervalNanos, System.nanoTime());
                long wait;
                while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /**
     * Stops the probe and puts its figures under {@code prefix}: syncs, p50/p99/max ms, stalls (≥ 30 ms), and how
     * often and by how much it woke late for a sync.
     */
    void stopAndPut(Props p, String prefix) throws InterruptedException, IOException {
        close();
        thread.join(5_000);
        if (failure != null) throw new UncheckedIOException("sync probe on " + file, failure);
        Files.deleteIfExists(file);
        Histogram h, late;
        synchronized (latencyMicros) {
            h = latencyMicros.copy();
            late = lateMicros.copy();
        }
        long stalls = stalls(h);
        long pauses = stalls(late);
        p.put(prefix + ".syncs", h.getTotalCount());
        p.put(prefix + ".p50_ms", h.getValueAtPercentile(50) / 1000.0);
        p.put(prefix + ".p99_ms", h.getValueAtPercentile(99) / 1000.0);
        p.put(prefix + ".max_ms", h.getMaxValue() / 1000.0);
        p.put(prefix + ".stalls", stalls);
        p.put(prefix + ".late_max_ms", late.getMaxValue() / 1000.0);
        p.put(prefix + ".late_pauses", pauses);
        System.err.printf("  disk sync probe: %d syncs, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d at %d ms or more; "
                        + "woke late by %d ms or more %d times (at most %.1f ms)%n",
                h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0, stalls, STALL_MS, STALL_MS, pauses, late.getMaxValue() / 1000.0);
    }

    /** How many of a histogram's microsecond values are {@link #STALL_MS} or more. */
    static long stalls(Histogram micros) {
        return micros.getCountBetweenValues(STALL_MS * 1000, micros.getHighestTrackableValue());
    }

    @Override
    public void close() {
        running = false;
    }
}
