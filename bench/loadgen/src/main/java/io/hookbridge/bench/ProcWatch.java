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

    /** CPU time the process has used, user + system, in ms (from /proc/<pid>/stat, 100 ticks per second), or -1. */
    long cpuMillis() {
        if (pid <= 0) return -1;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The machine's CPU ticks since boot: {all, steal, idle + iowait} from the first line of /proc/stat, or null. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) all += Long.parseLong(f[i]);
            return new long[] {all, f.length > 8 ? Long.parseLong(f[8]) : 0, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Puts the gateway's CPU ms per unit of work and the machine's steal % over a window into the figures. */
    void putWindow(Props p, String prefix, long cpu0, long[] ticks0, double units) {
        long cpu1 = cpuMillis();
        long[] ticks1 = machineTicks();
        if (cpu0 >= 0 && cpu1 >= 0 && units > 0) p.put(prefix + ".gw_cpu_ms_per_ok", (cpu1 - cpu0) / units);
        double steal = stealPct(ticks0, ticks1);
        if (!Double.isNaN(steal)) p.put(prefix + ".steal_pct", steal);
    }

    /** The machine's CPU steal between two {@link #machineTicks()} readings, in percent; NaN when either is missing. */
    static double stealPct(long[] from, long[] to) {
        return share(from, to, 1);
    }

    /**
     * The share of the machine's CPU time that no process wanted between two readings, in percent: with the load
     * generator in a closed loop, the time every connection was waiting for an answer that waited on the disk.
     */
    static double idlePct(long[] from, long[] to) {
        return share(from, to, 2);
    }

    private static double share(long[] from, long[] to, int field) {
        if (from == null || to == null || to[0] <= from[0]) return Double.NaN;
        return 100.0 * (to[field] - from[field]) / (to[0] - from[0]);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
