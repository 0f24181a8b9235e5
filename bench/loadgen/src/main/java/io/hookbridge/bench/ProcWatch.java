package io.hookbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches the gateway process from outside: its resident memory (VmRSS, sampled; VmHWM, the kernel's own peak)
 * from /proc/&lt;pid&gt;/status, and the data disk's completed flush requests from /proc/diskstats (machine-wide).
 */
final class ProcWatch implements AutoCloseable {

    private final long pid;
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long maxRssKb = -1;

    ProcWatch(long pid) {
        this.pid = pid;
        this.sampler = new Thread(() -> {
            while (running) {
                long rss = statusKb("VmRSS");
                if (rss > maxRssKb) maxRssKb = rss;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        if (pid > 0) sampler.start();
    }

    long maxRssKb() {
        long rss = statusKb("VmRSS");
        if (rss > maxRssKb) maxRssKb = rss;
        return maxRssKb;
    }

    long hwmKb() {
        return statusKb("VmHWM");
    }

    long rssKb() {
        return statusKb("VmRSS");
    }

    private long statusKb(String field) {
        if (pid <= 0) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }

    /** Flush requests completed on a block device (field 16 of /proc/diskstats, "flush requests completed", kernels ≥ 5.5), or -1. */
    static long diskFlushes(String device) {
        if (device == null || device.isEmpty()) return -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/diskstats"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 19 && f[2].equals(device)) return Long.parseLong(f[18]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such device
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
